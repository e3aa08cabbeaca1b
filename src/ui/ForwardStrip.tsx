import { forwardProcessOf } from '../state/viewState';
import { useAppStore, useViewSettings } from '../state/store';
import { PixelCanvas } from './PixelCanvas';

/** The forward process D(x0, t) from 0 to T; clicking a picture starts the samplers there. */
export function ForwardStrip() {
  const strip = useAppStore((s) => s.forwardStrip);
  const mixedIn = useAppStore((s) => s.mixedIn);
  const view = useViewSettings();
  const t = view.t;
  const setStep = useAppStore((s) => s.setStep);
  const T = forwardProcessOf(view).T;
  return (
    <section className="forward-strip panel" aria-label="The forward process" data-testid="forward-strip">
      <b>The forward process D(x₀, t), t = 0 … {T}: click one to start from it</b>
      <div className="strip" style={{ ['--marker' as string]: `${(100 * t) / T}%` }}>
        {(strip ?? []).map((f) => (
          <button
            key={f.t}
            type="button"
            className={`strip-item ${f.t === t ? 'current' : ''}`}
            onClick={() => setStep(Math.max(1, f.t))}
            aria-pressed={f.t === t}
            // The name starts with the visible text ("t = 0"), as speech input needs (WCAG 2.5.3).
            aria-label={`t = ${f.t}: start the samplers from t = ${Math.max(1, f.t)}`}
            data-testid={`strip-${f.t}`}
          >
            <PixelCanvas pixels={f.pixels} label={`D(x0, ${f.t})`} testId={`strip-canvas-${f.t}`} size={72} />
            <small>t = {f.t}</small>
          </button>
        ))}
        {!strip && <span className="metric">computing…</span>}
        <span className="strip-marker" aria-hidden="true" title={`current t = ${t}`} data-testid="strip-marker">
          ▲ t = {t}
        </span>
      </div>
      {mixedIn && (
        <figure className="mixed-in" data-testid="mixed-in">
          <PixelCanvas pixels={mixedIn.pixels} label={`the picture mixed in: ${mixedIn.picture.title}`} testId="mixed-in-canvas" size={72} />
          <figcaption>
            Mixed in (z, all that is left at t = {T}): <b>{mixedIn.picture.title}</b> by {mixedIn.picture.author} ({mixedIn.picture.license}, Debian package{' '}
            {mixedIn.picture.package}), picture {mixedIn.index + 1} of {mixedIn.count}, chosen by the seed. The samplers are not told which: they
            estimate it from xₛ and x̂₀.
          </figcaption>
        </figure>
      )}
    </section>
  );
}
