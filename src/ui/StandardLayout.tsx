import { useAppStore } from '../state/store';
import { HIDEABLE_CONTROLS, type HideableControl } from '../state/viewState';
import { GENERATION } from '../core/degradations/catalog';
import { BackendPicker, DegradationPicker, GenerateControls, ModeSwitch, PresentButton, RestorerPicker, SeedControl, ShareLink, StepSlider } from './Controls';
import { ExportMenu } from './ExportMenu';
import { ForwardStrip } from './ForwardStrip';
import { Header } from './Header';
import { ImagePicker } from './ImagePicker';
import { LearnMore } from './LearnMore';
import { LiveStatus } from './LiveStatus';
import { ModelCardButton } from './ModelCard';
import { Notices } from './Notices';
import { Panels } from './Panels';
import { PartBoundary } from './PartBoundary';
import { Timeline } from './Timeline';
import { OpenViews, VIEWS, ViewToggle } from './views';

/** The page as a visitor first meets it: controls, the forward strip, the timeline, the panels and the views. */
export function StandardLayout({ onFile }: { onFile: (file: Blob, name: string) => void }) {
  const degradation = useAppStore((s) => s.view.degradation);
  const generating = useAppStore((s) => s.view.mode === 'generate');
  const modelId = generating ? GENERATION.modelId : degradation;
  const hidden = useAppStore((s) => s.view.hide);
  const shown = Object.fromEntries(HIDEABLE_CONTROLS.map((c) => [c, !hidden.includes(c)])) as Record<HideableControl, boolean>;
  return (
    <main className="app">
      <Header />
      <Notices />
      {shown.mode && <ModeSwitch />}
      {!generating && shown.image && <ImagePicker onFile={onFile} />}
      <section className="controls" aria-label="Settings">
        {generating ? (
          <GenerateControls />
        ) : (
          <>
            {shown.degradation && <DegradationPicker />}
            {shown.step && <StepSlider />}
            {shown.seed && <SeedControl />}
          </>
        )}
        {shown.restorer && <RestorerPicker />}
        {shown.backend && <BackendPicker />}
        {VIEWS.filter((v) => shown[v.control]).map((v) => (
          <ViewToggle key={v.id} view={v} />
        ))}
        {shown.share && <ShareLink />}
        {shown.export && <ExportMenu />}
        <PresentButton />
      </section>
      {!generating && shown.strip && (
        <PartBoundary name="forward-process strip">
          <ForwardStrip />
        </PartBoundary>
      )}
      <Timeline />
      <LiveStatus />
      <PartBoundary name="image panels">
        <Panels />
      </PartBoundary>
      <OpenViews where="page" />
      {shown.learn && (
        <PartBoundary name="explanation">
          <LearnMore />
        </PartBoundary>
      )}
      <footer className="footer">
        {generating ? 'Garments: Fashion-MNIST (Zalando, MIT licence), Debian package dataset-fashion-mnist.' : "Sample photos: held out from training; authors and licences in each thumbnail's tooltip."} Model: see its <ModelCardButton modelId={modelId} />
        .
      </footer>
    </main>
  );
}
