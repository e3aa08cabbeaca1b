import { lazy, Suspense, useCallback, useEffect } from 'react';
import { useAppStore } from '../state/store';
import { HIDEABLE_CONTROLS, type HideableControl } from '../state/viewState';
import type { Engine } from '../worker/client';
import { GENERATION } from '../core/degradations/catalog';
import { BackendPicker, ChartToggle, DegradationPicker, ExplainToggle, GenerateControls, ModeSwitch, PresentButton, RestorerPicker, SeedControl, ShareLink, StepSlider } from './Controls';
import { ErrorChart } from './ErrorChart';
import { ExportMenu } from './ExportMenu';
import { ForwardStrip } from './ForwardStrip';
import { ModelCardButton } from './ModelCard';
import { PartBoundary } from './PartBoundary';
import { Timeline } from './Timeline';
import { Header } from './Header';
import { ImagePicker } from './ImagePicker';
import { LearnMore } from './LearnMore';
import { LiveStatus } from './LiveStatus';
import { Notices } from './Notices';
import { Panels } from './Panels';
import { LinkQrCode, PresentationBar } from './Presentation';

// KaTeX is large: fetched only when the predict → correct view is opened.
const PredictCorrect = lazy(() => import('./PredictCorrect').then((m) => ({ default: m.PredictCorrect })));

export function App({ engine }: { engine: Engine }) {
  const onFile = useCallback((file: Blob, name: string) => engine.loadFile(file, name), [engine]);
  const degradation = useAppStore((s) => s.view.degradation);
  const generating = useAppStore((s) => s.view.mode === 'generate');
  const modelId = generating ? GENERATION.modelId : degradation;
  const explain = useAppStore((s) => s.view.explain);
  const chart = useAppStore((s) => s.view.chart);
  const present = useAppStore((s) => s.view.present);
  const hidden = useAppStore((s) => s.view.hide);
  const shown = Object.fromEntries(HIDEABLE_CONTROLS.map((c) => [c, !hidden.includes(c)])) as Record<HideableControl, boolean>;
  useKeyboardShortcuts();
  if (present) {
    return (
      <main className="app present" data-testid="presentation">
        <PresentationBar />
        <Notices />
        <Timeline />
        <LiveStatus />
        <div className={`present-stage ${chart ? 'with-chart' : ''}`}>
          {/* The panels and the QR code share one grid: three across, the code in the last cell. */}
          <div className="present-panels">
            <PartBoundary name="image panels">
              <Panels />
            </PartBoundary>
            <LinkQrCode />
          </div>
          {chart && (
            <aside className="present-side">
              <PartBoundary name="error chart">
                <ErrorChart />
              </PartBoundary>
            </aside>
          )}
        </div>
      </main>
    );
  }
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
        {shown.explain && <ExplainToggle />}
        {shown.chart && <ChartToggle />}
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
      {explain && (
        <PartBoundary name="predict → correct view">
          <Suspense fallback={<p className="metric">loading the predict → correct view…</p>}>
            <PredictCorrect />
          </Suspense>
        </PartBoundary>
      )}
      {chart && (
        <PartBoundary name="error chart">
          <ErrorChart />
        </PartBoundary>
      )}
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

/** Space: play/pause, ← →: one frame, Home / R: the start, End: the last frame, Esc: leave presentation (not while typing). */
function useKeyboardShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || target?.closest('input, select, textarea, button')) return;
      const s = useAppStore.getState();
      if (e.key === ' ') s.playing ? s.pause() : s.play();
      else if (e.key === 'ArrowRight') s.stepForward();
      else if (e.key === 'ArrowLeft') s.stepBack();
      else if (e.key === 'r' || e.key === 'Home') s.reset();
      else if (e.key === 'End') s.seek(s.view.t);
      else if (e.key === 'Escape' && s.view.present && !document.fullscreenElement) s.setView({ present: false });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
