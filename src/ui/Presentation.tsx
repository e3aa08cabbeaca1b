import { useEffect, useMemo, useRef, useState } from 'react';
import QRCode from 'qrcode';
import { useAppStore, useViewSettings } from '../state/store';
import { BackendBadge } from './Header';
import { LessonButton, LessonPanel } from './LessonPanel';
import { LiveStatus } from './LiveStatus';
import { Notices } from './Notices';
import { Panels } from './Panels';
import { PartBoundary } from './PartBoundary';
import { presentationTitle } from './presentationTitle';
import { QR_ERROR_CORRECTION, QR_MARGIN, qrLink } from './qrLink';
import { Timeline } from './Timeline';
import { OpenViews, VIEWS, ViewToggle } from './views';

/**
 * Presentation mode: the panels and the views it shows fill one screen; the controls are reduced to
 * the timeline. Views beside the panels (the chart) keep everything on one screen; a view below them
 * (predict → correct) puts the panels in one row and scrolls inside its own part if it must.
 */
export function PresentationLayout() {
  const view = useViewSettings();
  const withSide = VIEWS.some((v) => v.inPresentation === 'side' && view[v.id]);
  const withBelow = VIEWS.some((v) => v.inPresentation === 'below' && view[v.id]);
  return (
    <main className="app present" data-testid="presentation">
      <PresentationBar />
      <Notices />
      <LessonPanel />
      <Timeline />
      <LiveStatus />
      <div className={`present-stage ${withSide ? 'with-chart' : ''} ${withBelow ? 'with-below' : ''}`}>
        {/* The panels and the QR code share one grid: three across, the code in the last cell. */}
        <div className="present-panels">
          <PartBoundary name="image panels">
            <Panels />
          </PartBoundary>
          <LinkQrCode />
        </div>
        {withSide && (
          <aside className="present-side">
            <OpenViews where="side" />
          </aside>
        )}
        {withBelow && (
          <section className="present-below" aria-label="More views" tabIndex={0}>
            <OpenViews where="below" />
          </section>
        )}
      </div>
    </main>
  );
}

/** Pixels a module is drawn with in the canvas (CSS scales the canvas to its cell, without smoothing). */
const MODULE_PX = 8;

/**
 * A QR code for students' phones: the shortest link that opens this view (qrLink.ts), never a blank
 * square. Its caption says when the code leaves the visitor's image out, and when the page's own
 * address is one a phone cannot open.
 */
export function LinkQrCode() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const settings = useViewSettings();
  // While the run plays, the code opens it from its start (redrawn once, not at every frame); paused, at the frame shown.
  const frame = useAppStore((s) => (s.playing || s.following ? 0 : s.view.frame));
  const view = useMemo(() => ({ ...settings, frame }), [settings, frame]);
  const localImage = useAppStore((s) => s.localImage);
  const link = useMemo(() => qrLink(view, window.location.href), [view]);
  const code = useMemo(() => {
    try {
      return QRCode.create(link.href, { errorCorrectionLevel: QR_ERROR_CORRECTION });
    } catch {
      // No view's short link is near a QR code's capacity (2331 bytes at M); the page's address always fits.
      return QRCode.create(link.href.split('#')[0]!, { errorCorrectionLevel: QR_ERROR_CORRECTION });
    }
  }, [link.href]);
  const side = code.modules.size + 2 * QR_MARGIN;
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx) return;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, side * MODULE_PX, side * MODULE_PX);
    ctx.fillStyle = '#000';
    const n = code.modules.size;
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < n; c++) if (code.modules.get(r, c)) ctx.fillRect((c + QR_MARGIN) * MODULE_PX, (r + QR_MARGIN) * MODULE_PX, MODULE_PX, MODULE_PX);
    }
  }, [code, side]);
  const host = new URL(window.location.href);
  return (
    <figure className="qr" data-testid="qr-code" data-href={link.href} data-version={code.version} data-modules={side}>
      <canvas ref={canvas} width={side * MODULE_PX} height={side * MODULE_PX} role="img" aria-label={`QR code of this link: ${link.href}`} data-testid="qr-canvas" />
      <figcaption>
        <span>Scan to open this view</span>
        {link.withoutImage ? (
          <small data-testid="qr-without-image">This code opens the view with the gallery picture: your image is too large for a code.</small>
        ) : (
          localImage && !view.imageData && <small data-testid="qr-without-image">This code opens the view with the gallery picture: your image is not in the link.</small>
        )}
        {link.localAddress && (
          <small className="qr-warning" data-testid="qr-local">
            A phone cannot open {host.protocol === 'file:' ? 'a file on this computer' : host.host}: serve the page on the network or share its public address.
          </small>
        )}
      </figcaption>
    </figure>
  );
}

/** The bar of presentation mode: what is shown, the views, full screen, and the way back. */
export function PresentationBar() {
  const view = useViewSettings();
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
  return (
    <header className="presentation-bar">
      <h1 data-testid="presentation-title">{presentationTitle(view)}</h1>
      <div className="presentation-actions">
        <BackendBadge />
        {VIEWS.filter((v) => !view.hide.includes(v.control)).map((v) => (
          <ViewToggle key={v.id} view={v} />
        ))}
        <LessonButton />
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
