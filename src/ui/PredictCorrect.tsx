import katex from 'katex';
import 'katex/dist/katex.min.css';
import { useMemo } from 'react';
import { RESIDUAL_GAIN, type ChainPixels, type Pixels } from '../core/engine/types';
import { useAppStore } from '../state/store';
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
const RULES = {
  naive: `${c('next', 'x_{s-1}')} = ${c('atPrev', 'D(\\hat{x}_0, s-1)')}`,
  improved: `${c('next', 'x_{s-1}')} = ${c('xs', 'x_s')} - ${c('atS', 'D(\\hat{x}_0, s)')} + ${c('atPrev', 'D(\\hat{x}_0, s-1)')} = ${c('atPrev', 'D(\\hat{x}_0, s-1)')} + \\underbrace{${c('residual', 'x_s - D(\\hat{x}_0, s)')}}_{\\text{kept}}`,
} as const;

function Tex({ tex, testId }: { tex: string; testId: string }) {
  const html = useMemo(() => katex.renderToString(tex, { throwOnError: false, displayMode: true, output: 'htmlAndMathml' }), [tex]);
  return <div className="tex" data-testid={testId} dangerouslySetInnerHTML={{ __html: html }} />;
}

function Tile({ term, caption, pixels, testId }: { term: Term; caption: string; pixels: Pixels | null | undefined; testId: string }) {
  return (
    <figure className="tile" style={{ borderColor: TERM_COLOURS[term] }}>
      <PixelCanvas pixels={pixels} label={caption} testId={testId} size={120} />
      <figcaption>{caption}</figcaption>
    </figure>
  );
}

function SamplerStep({ kind, before, after, s }: { kind: 'naive' | 'improved'; before: ChainPixels | undefined; after: ChainPixels | undefined; s: number }) {
  const step = after?.step;
  const id = (part: string) => `tile-${kind}-${part}`;
  return (
    <section className="step-row" data-testid={`explain-${kind}`} aria-label={`${SAMPLER_TITLES[kind]}: step ${s} to ${s - 1}`}>
      <h3>{SAMPLER_TITLES[kind]}</h3>
      <div className="tiles">
        <Tile term="xs" caption={`x_s (s = ${s})`} pixels={before?.xt} testId={id('xs')} />
        <Tile term="x0" caption="x̂₀ = R(x_s, s)" pixels={step?.x0} testId={id('x0')} />
        <Tile term="atS" caption="D(x̂₀, s)" pixels={step?.atS} testId={id('atS')} />
        <Tile term="atPrev" caption="D(x̂₀, s−1)" pixels={step?.atPrev} testId={id('atPrev')} />
        <Tile term="residual" caption={`x_s − D(x̂₀, s), ×${RESIDUAL_GAIN}`} pixels={step?.residual} testId={id('residual')} />
        <Tile term="next" caption="x_{s−1}" pixels={after?.xt} testId={id('next')} />
      </div>
      <Tex tex={RULES[kind]} testId={`rule-${kind}`} />
      <p className="metric">
        {kind === 'naive' ? 'Throws the residual away: ' : 'Keeps the residual: '}
        RMS of x_s − D(x̂₀, s) = {step ? step.residualRms.toFixed(4) : '–'}
        {step?.x0Psnr !== null && step?.x0Psnr !== undefined && ` · x̂₀ vs original ${db(step.x0Psnr)}`}
      </p>
    </section>
  );
}

/**
 * Predict → correct: for the step on screen (s → s−1), the tensors each sampler really used
 * (sent by the engine as it computed them), beside the two update rules.
 */
export function PredictCorrect() {
  const frames = useAppStore((s) => s.frames);
  const shown = useAppStore((s) => s.view.frame);
  // Frame 0 is the start: show the first step that leaves it.
  const index = Math.max(1, shown);
  const after = frames[index];
  const before = frames[index - 1];
  const s = (before?.t ?? frames[0]?.t ?? 1) as number;
  return (
    <section className="predict-correct panel" data-testid="predict-correct" aria-label="Predict, then correct">
      <header>
        <b>Predict → correct, step s = {s} → {s - 1}</b>
        <Tex tex={X0} testId="rule-estimate" />
        <small>
          Each step first predicts the clean image x̂₀, then moves to level s−1. Naive sampling re-degrades the prediction; improved
          sampling keeps what the prediction failed to explain (the residual, shown ×{RESIDUAL_GAIN} around gray), so the prediction&apos;s errors
          cancel instead of piling up.
        </small>
      </header>
      {!after && <p className="metric">computing this step…</p>}
      <SamplerStep kind="naive" before={before?.naive} after={after?.naive} s={s} />
      <SamplerStep kind="improved" before={before?.improved} after={after?.improved} s={s} />
    </section>
  );
}
