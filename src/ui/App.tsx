import { useCallback, useEffect } from 'react';
import { useAppStore } from '../state/store';
import type { Engine } from '../worker/client';
import { BackendPicker, DegradationPicker, PlaybackControls, ShareLink, StepSlider } from './Controls';
import { Header } from './Header';
import { ImagePicker } from './ImagePicker';
import { LearnMore } from './LearnMore';
import { Notices } from './Notices';
import { Panels } from './Panels';

export function App({ engine }: { engine: Engine }) {
  const onFile = useCallback((file: Blob, name: string) => engine.loadFile(file, name), [engine]);
  const degradation = useAppStore((s) => s.view.degradation);
  useKeyboardShortcuts();
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
        Sample photos: held out from training; authors and licences in each thumbnail's tooltip. Model: see its <a href={`${import.meta.env.BASE_URL}models/${degradation}/MODEL_CARD.md`}>model card</a>.
      </footer>
    </main>
  );
}

/** Space: play/pause, →: one step, R or Home: back to the start (not while typing). */
function useKeyboardShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || target?.closest('input, select, textarea, button')) return;
      const s = useAppStore.getState();
      if (e.key === ' ') s.playing ? s.pause() : s.play();
      else if (e.key === 'ArrowRight') s.stepForward();
      else if (e.key === 'r' || e.key === 'Home') s.reset();
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
