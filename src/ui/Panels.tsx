import { SAMPLES } from '../samples';
import { useAppStore } from '../state/store';
import type { ChainPixels, FramePixels } from '../core/engine/types';
import { PixelCanvas } from './PixelCanvas';
import { degradationInfo } from '../core/degradations/catalog';
import { EXACT_DB } from '../core/metrics';

/** The frame to show: the one asked for, or the latest computed before it. */
export function useShownFrame(): { frame: FramePixels | undefined; waiting: boolean } {
  const frames = useAppStore((s) => s.frames);
  const wanted = useAppStore((s) => s.view.frame);
  for (let i = wanted; i >= 0; i--) if (frames[i]) return { frame: frames[i], waiting: i !== wanted };
  return { frame: undefined, waiting: true };
}

/** PSNR for people: identical pictures (the oracle) have no error to measure, so they read "exact". */
export const db = (v: number | null | undefined) => (v === undefined || v === null ? '–' : v >= EXACT_DB ? 'exact' : `${v.toFixed(1)} dB`);

export function Panel({ title, subtitle, children, testId }: { title: string; subtitle?: string; children: React.ReactNode; testId: string }) {
  return (
    <figure className="panel" data-testid={testId}>
      <figcaption>
        <b>{title}</b>
        {subtitle && <span>{subtitle}</span>}
      </figcaption>
      {children}
    </figure>
  );
}

/** Plain words first; the paper's names and update rules on the second line. */
export const SAMPLER_TITLES = { naive: 'Naive sampling', improved: 'Improved sampling (the paper’s)' } as const;
const SAMPLER_RULES = { naive: 'Algorithm 1: x_{s−1} = D(x̂₀, s−1)', improved: 'Algorithm 2: x_{s−1} = x_s − D(x̂₀, s) + D(x̂₀, s−1)' } as const;

function SamplerPanel({ kind, chain, waiting }: { kind: 'naive' | 'improved'; chain: ChainPixels | undefined; waiting: boolean }) {
  return (
    <Panel title={SAMPLER_TITLES[kind]} subtitle={SAMPLER_RULES[kind]} testId={`panel-${kind}`}>
      <PixelCanvas pixels={chain?.xt} label={`${kind} sampling, current image`} testId={`canvas-${kind}`} />
      <p className="metric" data-testid={`psnr-${kind}`}>
        {chain?.psnr === null ? 'new image: no original to compare with' : `PSNR vs original: ${db(chain?.psnr)}`} {waiting && <em>· computing…</em>}
      </p>
    </Panel>
  );
}

/** Direct, the paper's baseline: one network call R(x_t, t), no steps. */
function DirectPanel({ generating = false }: { generating?: boolean }) {
  const direct = useAppStore((s) => s.frames[1]?.direct ?? null);
  return (
    <Panel title="One network call" subtitle="direct: x̂₀ = R(x_t, t)" testId="panel-direct">
      <PixelCanvas pixels={direct?.x0 ?? null} label="direct result: one restorer call" testId="canvas-direct" />
      <p className="metric" data-testid="psnr-direct">
        {generating ? 'the average of what this colour could be' : `PSNR vs original: ${db(direct?.psnr)}`} {!direct && <em>· computing…</em>}
      </p>
    </Panel>
  );
}

/** One line where the result is not a restoration to expect (catalog.ts says when). */
export function PanelsNote() {
  const { mode, degradation, t } = useAppStore((s) => s.view);
  const missing = useAppStore((s) => s.runMissing);
  const note = mode === 'restore' ? degradationInfo(degradation).caveat?.(t) : mode === 'own' ? missing : null;
  if (!note) return null;
  return (
    <p className="panels-note" data-testid="panels-note">
      {note}
    </p>
  );
}

export function Panels() {
  const original = useAppStore((s) => s.original);
  const localImage = useAppStore((s) => s.localImage);
  const imageId = useAppStore((s) => s.view.image);
  const start = useAppStore((s) => s.frames[0]);
  const { frame, waiting } = useShownFrame();
  const sample = SAMPLES.find((s) => s.id === imageId);
  const generating = useAppStore((s) => s.view.mode === 'generate');
  if (generating) {
    return (
      <div className="panels generating">
        <Panel title="Start: a flat colour" subtitle={`x_T, t = ${start?.t ?? '…'}, plus faint noise`} testId="panel-degraded">
          <PixelCanvas pixels={start?.naive.xt} label="start of generation: a flat colour" testId="canvas-degraded" />
        </Panel>
        <DirectPanel generating />
        <SamplerPanel kind="naive" chain={frame?.naive} waiting={waiting} />
        <SamplerPanel kind="improved" chain={frame?.improved} waiting={waiting} />
      </div>
    );
  }
  return (
    <div className="panels">
      <Panel title="Original" subtitle={localImage ?? (sample ? `${sample.title} · ${sample.author} · ${sample.license}` : '')} testId="panel-original">
        <PixelCanvas pixels={original} label="original image" testId="canvas-original" />
      </Panel>
      <Panel title={`Degraded, t = ${start?.t ?? '…'}`} subtitle="x_t: what the samplers start from" testId="panel-degraded">
        <PixelCanvas pixels={start?.naive.xt} label="degraded image" testId="canvas-degraded" />
        <p className="metric">PSNR vs original: {db(start?.naive.psnr)}</p>
      </Panel>
      <DirectPanel />
      <SamplerPanel kind="naive" chain={frame?.naive} waiting={waiting} />
      <SamplerPanel kind="improved" chain={frame?.improved} waiting={waiting} />
    </div>
  );
}
