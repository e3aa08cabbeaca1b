import { lazy, Suspense } from 'react';
import { useAppStore } from '../state/store';
import { HIDEABLE_CONTROLS, type HideableControl } from '../state/viewState';
import { generatorFor } from '../core/degradations/catalog';
import { BackendPicker, DegradationPicker, GenerateControls, ModeSwitch, PresentButton, RestorerPicker, SeedControl, ShareLink, StepSlider } from './Controls';
import { ExportMenu } from './ExportMenu';
import { ForwardStrip } from './ForwardStrip';
import { Header } from './Header';
import { ImagePicker } from './ImagePicker';
import { LessonPanel } from './LessonPanel';
import { LiveStatus } from './LiveStatus';
import { ModelCardButton } from './ModelCard';
import { Notices } from './Notices';
import { Panels, PanelsNote } from './Panels';
import { PartBoundary } from './PartBoundary';
import { StepsInput } from './StepsInput';
import { Timeline } from './Timeline';
import { OpenViews, VIEWS, ViewToggle } from './views';

// Parts for a mode or below the fold: their code loads after the page's first paint (or when their mode opens), so
// the first task that renders the page is smaller (on a phone-class CPU it was a second long).
const LessonEditor = lazy(() => import('./LessonEditor').then((m) => ({ default: m.LessonEditor })));
const OfflineModels = lazy(() => import('./OfflineModels').then((m) => ({ default: m.OfflineModels })));
const SampleGrid = lazy(() => import('./SampleGrid').then((m) => ({ default: m.SampleGrid })));
const OwnBuilder = lazy(() => import('./OwnBuilder').then((m) => ({ default: m.OwnBuilder })));
const TrainingPanel = lazy(() => import('./TrainingPanel').then((m) => ({ default: m.TrainingPanel })));

/**
 * The page as a visitor first meets it. Above the fold (1280×720 and up): the few controls that
 * change what is restored, the timeline and the panels; what is used less (seed, backend) is one
 * click away under "More settings"; sharing, export, the forward strip and the views follow below.
 */
export function StandardLayout({ onFile }: { onFile: (file: Blob, name: string) => void }) {
  const degradation = useAppStore((s) => s.view.degradation);
  const generating = useAppStore((s) => s.view.mode === 'generate');
  const own = useAppStore((s) => s.view.mode === 'own');
  const generator = generatorFor(useAppStore((s) => s.view.dataset));
  const modelId = generating ? generator.modelId : degradation;
  const hidden = useAppStore((s) => s.view.hide);
  const shown = Object.fromEntries(HIDEABLE_CONTROLS.map((c) => [c, !hidden.includes(c)])) as Record<HideableControl, boolean>;
  const more = (!generating && !own && shown.seed) || shown.backend || shown.steps;
  return (
    <main className="app">
      <Header />
      <Notices />
      <LessonPanel />
      <section className="controls" aria-label="Settings">
        <div className="controls-row">
          {shown.mode && <ModeSwitch />}
          {!generating && shown.image && <ImagePicker onFile={onFile} />}
        </div>
        <div className="controls-row">
          {generating ? (
            <GenerateControls shown={shown} />
          ) : (
            <>
              {shown.degradation && !own && <DegradationPicker />}
              {shown.step && <StepSlider />}
            </>
          )}
          {shown.restorer && <RestorerPicker />}
          {more && (
            <details className="more-settings" data-testid="more-settings">
              <summary>More settings</summary>
              <div className="more-settings-body">
                {shown.steps && <StepsInput />}
                {!generating && !own && shown.seed && <SeedControl />}
                {shown.backend && <BackendPicker />}
              </div>
            </details>
          )}
        </div>
      </section>
      {own && shown.own && (
        <div className="own-workshop">
          <div className="own-column">
            <PartBoundary name="transform builder">
              <Suspense fallback={<p className="metric">loading the transform builder…</p>}>
                <OwnBuilder />
              </Suspense>
              {shown.strip && <ForwardStrip />}
            </PartBoundary>
          </div>
          <PartBoundary name="training">
            <Suspense fallback={<p className="metric">loading training…</p>}>
              <TrainingPanel onFile={onFile} />
            </Suspense>
          </PartBoundary>
        </div>
      )}
      <div className="stage">
        <Timeline />
        <LiveStatus />
        <PartBoundary name="image panels">
          <Panels />
        </PartBoundary>
        <PanelsNote />
      </div>
      <section className="actions" aria-label="Views, share and export">
        {VIEWS.filter((v) => shown[v.control]).map((v) => (
          <ViewToggle key={v.id} view={v} />
        ))}
        {shown.share && <ShareLink />}
        {shown.export && <ExportMenu />}
        <PresentButton />
      </section>
      {generating && (
        <PartBoundary name="grid of samples">
          <Suspense fallback={null}>
            <SampleGrid />
          </Suspense>
        </PartBoundary>
      )}
      {!generating && !(own && shown.own) && shown.strip && (
        <PartBoundary name="forward-process strip">
          <ForwardStrip />
        </PartBoundary>
      )}
      <OpenViews where="page" />
      <Suspense fallback={null}>
        <LessonEditor />
        <OfflineModels />
      </Suspense>
      <footer className="footer">
        {generating ? `Training pictures: ${generator.credit}.` : "Sample photos: held out from training; authors and licences in each thumbnail's tooltip."}{' '}
        {own ? (
          'Restorer: trained on this device, from the gallery pictures (their authors and licences in the tooltips).'
        ) : (
          <>
            Model: see its <ModelCardButton modelId={modelId} />.
          </>
        )}
      </footer>
    </main>
  );
}
