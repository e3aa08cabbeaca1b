import { useEffect, useRef, useState } from 'react';
import QRCode from 'qrcode';
import { degradationInfo } from '../core/degradations/catalog';
import { useAppStore } from '../state/store';
import { BackendBadge } from './Header';
import { LiveStatus } from './LiveStatus';
import { Notices } from './Notices';
import { Panels } from './Panels';
import { PartBoundary } from './PartBoundary';
import { Timeline } from './Timeline';
import { OpenViews, VIEWS } from './views';

/** Presentation mode: the panels and the views it shows fill one screen; the controls are reduced to the timeline. */
export function PresentationLayout() {
  const view = useAppStore((s) => s.view);
  const withSide = VIEWS.some((v) => v.inPresentation && view[v.id]);
  return (
    <main className="app present" data-testid="presentation">
      <PresentationBar />
      <Notices />
      <Timeline />
      <LiveStatus />
      <div className={`present-stage ${withSide ? 'with-chart' : ''}`}>
        {/* The panels and the QR code share one grid: three across, the code in the last cell. */}
        <div className="present-panels">
          <PartBoundary name="image panels">
            <Panels />
          </PartBoundary>
          <LinkQrCode />
        </div>
        {withSide && (
          <aside className="present-side">
            <OpenViews where="presentation" />
          </aside>
        )}
      </div>
    </main>
  );
}

/** A QR code of the page's current link, for students' phones. */
export function LinkQrCode({ size = 168 }: { size?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useAppStore((s) => s.view);
  const [href, setHref] = useState(() => window.location.href);
  // The link follows the view (urlSync writes the hash); the students get it without present=1.
  useEffect(() => setHref(window.location.href.replace(/([#&])present=1/, '$1present=0')), [view]);
  useEffect(() => {
    if (!canvas.current) return;
    QRCode.toCanvas(canvas.current, href, { width: size, margin: 1, errorCorrectionLevel: 'M' }).catch(() => undefined);
  }, [href, size]);
  return (
    <figure className="qr" data-testid="qr-code" data-href={href}>
      <canvas ref={canvas} width={size} height={size} role="img" aria-label={`QR code of this link: ${href}`} />
      <figcaption>Scan to open this view</figcaption>
    </figure>
  );
}

/** The bar of presentation mode: what is shown, full screen, and the way back. */
export function PresentationBar() {
  const view = useAppStore((s) => s.view);
  const setView = useAppStore((s) => s.setView);
  const [fullscreen, setFullscreen] = useState(() => Boolean(document.fullscreenElement));
  useEffect(() => {
    const on = () => setFullscreen(Boolean(document.fullscreenElement));
    document.addEventListener('fullscreenchange', on);
    return () => document.removeEventListener('fullscreenchange', on);
  }, []);
  const toggleFullscreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    else void document.documentElement.requestFullscreen?.().catch(() => undefined);
  };
  const exit = () => {
    if (document.fullscreenElement) void document.exitFullscreen();
    setView({ present: false });
  };
  const what = view.mode === 'generate' ? 'Generating from a flat colour' : `${degradationInfo(view.degradation).label}, t = ${view.t}`;
  return (
    <header className="presentation-bar">
      <h1>Cold diffusion: {what}</h1>
      <div className="presentation-actions">
        <BackendBadge />
        <button type="button" onClick={toggleFullscreen} data-testid="fullscreen" aria-pressed={fullscreen}>
          {fullscreen ? 'Leave full screen' : 'Full screen'}
        </button>
        <button type="button" onClick={exit} data-testid="exit-present">
          Exit presentation
        </button>
      </div>
    </header>
  );
}
