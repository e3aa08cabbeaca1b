import { useAppStore } from '../state/store';
import { HIDEABLE_CONTROLS, type HideableControl } from '../state/viewState';
import { generatorFor } from '../core/degradations/catalog';
import { BackendPicker, DegradationPicker, GenerateControls, ModeSwitch, PresentButton, RestorerPicker, SeedControl, ShareLink, StepSlider } from './Controls';
import { ExportMenu } from './ExportMenu';
import { ForwardStrip } from './ForwardStrip';
import { Header } from './Header';
import { ImagePicker } from './ImagePicker';
import { LessonEditor } from './LessonEditor';
import { LessonPanel } from './LessonPanel';
import { LiveStatus } from './LiveStatus';
import { ModelCardButton } from './ModelCard';
import { Notices } from './Notices';
import { OfflineModels } from './OfflineModels';
import { Panels, PanelsNote } from './Panels';
import { PartBoundary } from './PartBoundary';
import { SampleGrid } from './SampleGrid';
import { StepsInput } from './StepsInput';
import { Timeline } from './Timeline';
import { OpenViews, VIEWS, ViewToggle } from './views';
import { OwnBuilder } from './OwnBuilder';
import { TrainingPanel } from './TrainingPanel';

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
              <OwnBuilder />
              {shown.strip && <ForwardStrip />}
            </PartBoundary>
          </div>
          <PartBoundary name="training">
            <TrainingPanel onFile={onFile} />
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
          <SampleGrid />
        </PartBoundary>
      )}
      {!generating && !(own && shown.own) && shown.strip && (
        <PartBoundary name="forward-process strip">
          <ForwardStrip />
        </PartBoundary>
      )}
      <OpenViews where="page" />
      <LessonEditor />
      <OfflineModels />
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
