import { useCallback } from 'react';
import type { Engine } from '../worker/client';
import { BackendPicker, DegradationPicker, PlaybackControls, ShareLink, StepSlider } from './Controls';
import { Header } from './Header';
import { ImagePicker } from './ImagePicker';
import { LearnMore } from './LearnMore';
import { Notices } from './Notices';
import { Panels } from './Panels';

export function App({ engine }: { engine: Engine }) {
  const onFile = useCallback((file: Blob, name: string) => engine.loadFile(file, name), [engine]);
  return (
    <main className="app">
      <Header />
      <Notices />
      <ImagePicker onFile={onFile} />
      <section className="controls" aria-label="Settings">
        <DegradationPicker />
        <StepSlider />
        <BackendPicker />
        <ShareLink />
      </section>
      <PlaybackControls />
      <Panels />
      <LearnMore />
      <footer className="footer">
        Sample photos: held out from training; authors and licences in each thumbnail's tooltip. Model: see <a href={`${import.meta.env.BASE_URL}models/blur/MODEL_CARD.md`}>model card</a>.
      </footer>
    </main>
  );
}
