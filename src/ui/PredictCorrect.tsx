import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useLayoutEffect, useMemo, useRef } from 'react';
import { RESIDUAL_GAIN, type ChainPixels, type Pixels } from '../core/engine/types';
import { stepSchedule } from '../core/stepSchedule';
import { useAppStore } from '../state/store';
import { EXACT_DB } from '../core/metrics';
import { PixelCanvas } from './PixelCanvas';
import { db, SAMPLER_TITLES } from './Panels';

/** One colour per term, shared by the tiles' frames and the typeset rules. */
const TERM_COLOURS = {
  xs: '#7a8699',
  x0: '#8a5cd6',
  atS: '#d1495b',
  atPrev: '#2a9d5c',
  next: '#2f6fdb',
  residual: '#e08a00',
} as const;
type Term = keyof typeof TERM_COLOURS;

const c = (term: Term, tex: string) => `\\textcolor{${TERM_COLOURS[term]}}{${tex}}`;
const X0 = c('x0', '\\hat{x}_0') + ' = R(' + c('xs', 'x_s') + ', s)';
/** The level a step goes to, as the rules name it: s−1 when every level is taken, s′ for a jump over several. */
interface NextLevel {
  text: string;
  tex: string;
}
const nextLevel = (s: number, next: number): NextLevel => (next === s - 1 ? { text: 's−1', tex: 's-1' } : { text: 's′', tex: "s'" });

const rules = ({ tex: n }: NextLevel) => ({
  naive: `${c('next', `x_{${n}}`)} = ${c('atPrev', `D(\\hat{x}_0, ${n})`)}`,
  improved: `${c('next', `x_{${n}}`)} = ${c('xs', 'x_s')} - ${c('atS', 'D(\\hat{x}_0, s)')} + ${c('atPrev', `D(\\hat{x}_0, ${n})`)} = ${c('atPrev', `D(\\hat{x}_0, ${n})`)} + \\underbrace{${c('residual', 'x_s - D(\\hat{x}_0, s)')}}_{\\text{kept}}`,
});

function Tex({ tex, testId }: { tex: string; testId: string }) {
  const html = useMemo(() => katex.renderToString(tex, { throwOnError: false, displayMode: true, output: 'htmlAndMathml' }), [tex]);
  // Focusable: on a narrow screen the formula scrolls sideways, and a keyboard must reach it (axe: scrollable-region-focusable).
  return <div className="tex" tabIndex={0} data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}

function Tile({ term, caption, pixels, testId }: { term: Term; caption: string; pixels: Pixels | null | undefined; testId: string }) {
  return (
    <figure className="tile" style={{ borderColor: TERM_COLOURS[term] }}>
      {/* Its size comes from the row's width (useTileSize below; app.css, .predict-correct .tile canvas). */}
      <PixelCanvas pixels={pixels} label={caption} testId={testId} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

function SamplerStep({ kind, before, after, s, next }: { kind: 'naive' | 'improved'; before: ChainPixels | undefined; after: ChainPixels | undefined; s: number; next: number }) {
  const level = nextLevel(s, next);
  const step = after?.step;
  const id = (part: string) => `tile-${kind}-${part}`;
  return (
    <section className="step-row" data-testid={`explain-${kind}`} aria-label={`${SAMPLER_TITLES[kind]}: step ${s} to ${next}`}>
      <h3>{SAMPLER_TITLES[kind]}</h3>
      <div className="tiles">
        <Tile term="xs" caption={`x_s (s = ${s})`} pixels={before?.xt} testId={id('xs')} />
        <Tile term="x0" caption="x̂₀ = R(x_s, s)" pixels={step?.x0} testId={id('x0')} />
        <Tile term="atS" caption="D(x̂₀, s)" pixels={step?.atS} testId={id('atS')} />
        <Tile term="atPrev" caption={`D(x̂₀, ${level.text})`} pixels={step?.atPrev} testId={id('atPrev')} />
        <Tile term="residual" caption={`x_s − D(x̂₀, s), ×${RESIDUAL_GAIN}`} pixels={step?.residual} testId={id('residual')} />
        <Tile term="next" caption={`x_{${level.text}}`} pixels={after?.xt} testId={id('next')} />
      </div>
      <Tex tex={rules(level)[kind]} testId={`rule-${kind}`} />
      <p className="metric">
        {kind === 'naive' ? 'Throws the residual away: ' : 'Keeps the residual: '}
        RMS of x_s − D(x̂₀, s) = {step ? step.residualRms.toFixed(4) : '–'}
        {step?.x0Psnr !== null && step?.x0Psnr !== undefined && ` · x̂₀ vs original ${step.x0Psnr >= EXACT_DB ? 'exact (∞ dB)' : db(step.x0Psnr)}`}
      </p>
    </section>
  );
}

/** Tiles per row: 6 (a whole step in one row), else 3 or 2 (whole rows, no tile left alone). */
const TILE_COLUMNS = [6, 3, 2] as const;
/** The smallest canvas for 6 in a row (no network pixel dropped) and for 3 (a 390 px phone fits 3). */
const MIN_TILE_PX: Record<number, number> = { 6: 128, 3: 80 };

/**
 * The tile canvas for a canvas box `w` CSS px wide: a whole multiple of the tensor's 128 pixels in
 * device pixels where one is within 12 % of the box (each network pixel then exactly k × k device
 * pixels: nearest neighbour at a whole factor, perfectly crisp), else the whole box (PixelCanvas
 * then repeats each pixel k × k and lets the browser scale that down: even pixels, soft by at most
 * one device pixel at their edges).
 */
export function crispTileSize(w: number, dpr: number, n = 128): number {
  const k = Math.floor((w * dpr) / n);
  return k >= 1 && k * n >= 0.88 * w * dpr ? (k * n) / dpr : Math.floor(w);
}

/**
 * Sizes the tiles to the width the view has: sets --tile-cols and --tile-px on the element, so
 * the tiles grow to fill the row (6 to a row on a laptop, 3 on a phone).
 */
function useTileSize() {
  const ref = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const fit = () => {
      const grid = el.querySelector<HTMLElement>('.tiles');
      const tile = el.querySelector<HTMLElement>('.tile');
      if (!grid || !tile) return;
      const gap = parseFloat(getComputedStyle(grid).columnGap) || 0;
      const t = getComputedStyle(tile);
      const chrome = [t.paddingLeft, t.paddingRight, t.borderLeftWidth, t.borderRightWidth].reduce((sum, v) => sum + (parseFloat(v) || 0), 0);
      const box = (cols: number) => (grid.clientWidth - gap * (cols - 1)) / cols - chrome;
      const cols = TILE_COLUMNS.find((c) => box(c) >= (MIN_TILE_PX[c] ?? 0)) ?? 2;
      el.style.setProperty('--tile-cols', String(cols));
      el.style.setProperty('--tile-px', `${crispTileSize(box(cols), devicePixelRatio || 1)}px`);
    };
    fit();
    const observer = new ResizeObserver(fit);
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return ref;
}

/**
 * Predict → correct: for the step on screen (s → s−1), the tensors each sampler really used
 * (sent by the engine as it computed them), beside the two update rules.
 */
export function PredictCorrect() {
  const frames = useAppStore((s) => s.frames);
  const shown = useAppStore((s) => s.view.frame);
  const view = useAppStore((s) => s.view);
  // Frame 0 is the start: show the first step that leaves it.
  const index = Math.max(1, shown);
  const after = frames[index];
  const before = frames[index - 1];
  const s = (before?.t ?? frames[0]?.t ?? 1) as number;
  // With fewer steps than levels a step jumps from s to the schedule's next level s′, not to s−1.
  const next = stepSchedule(view.t, view.steps)[index] ?? Math.max(0, s - 1);
  const sized = useTileSize();
  return (
    <section ref={sized} className="predict-correct panel" data-testid="predict-correct" aria-label="Predict, then correct">
      <header>
        <b>
          Predict → correct, step s = {s} → {next}
        </b>
        <Tex tex={X0} testId="rule-estimate" />
        <small>
          Each step first predicts the clean image x̂₀, then moves to level {nextLevel(s, next).text}. Naive sampling re-degrades the prediction; improved
          sampling keeps what the prediction failed to explain (the residual, shown ×{RESIDUAL_GAIN} around gray), so the prediction&apos;s errors
          cancel instead of piling up.
        </small>
      </header>
      {!after && <p className="metric">computing this step…</p>}
      <SamplerStep kind="naive" before={before?.naive} after={after?.naive} s={s} next={next} />
      <SamplerStep kind="improved" before={before?.improved} after={after?.improved} s={s} next={next} />
    </section>
  );
}
