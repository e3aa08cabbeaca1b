import { SAMPLES } from '../samples';
import { useAppStore } from '../state/store';
import type { ChainPixels, FramePixels } from '../core/engine/types';
import { PixelCanvas } from './PixelCanvas';

/** The frame to show: the one asked for, or the latest computed before it. */
export function useShownFrame(): { frame: FramePixels | undefined; waiting: boolean } {
  const frames = useAppStore((s) => s.frames);
  const wanted = useAppStore((s) => s.view.frame);
  for (let i = wanted; i >= 0; i--) if (frames[i]) return { frame: frames[i], waiting: i !== wanted };
  return { frame: undefined, waiting: true };
}

export const db = (v: number | null | undefined) => (v === undefined || v === null ? '–' : Number.isFinite(v) ? `${v.toFixed(1)} dB` : '∞ dB');

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

export const SAMPLER_TITLES = { naive: 'Naive (Algorithm 1)', improved: 'Improved (Algorithm 2, TACoS)' } as const;

function SamplerPanel({ kind, chain, frameIndex, waiting }: { kind: 'naive' | 'improved'; chain: ChainPixels | undefined; frameIndex: number; waiting: boolean }) {
  const rule = kind === 'naive' ? 'x_{s−1} = D(x̂₀, s−1)' : 'x_{s−1} = x_s − D(x̂₀, s) + D(x̂₀, s−1)';
  return (
    <Panel title={SAMPLER_TITLES[kind]} subtitle={rule} testId={`panel-${kind}`}>
      <div className="sampler-images">
        <PixelCanvas pixels={chain?.xt} label={`${kind} sampler, current image`} testId={`canvas-${kind}`} />
        <div className="estimate">
          <PixelCanvas pixels={chain?.step?.x0 ?? null} label={`${kind} sampler, current estimate of the clean image`} testId={`canvas-${kind}-x0`} size={112} />
          <small>estimate x̂₀ {frameIndex === 0 ? '(after the first step)' : ''}</small>
        </div>
      </div>
      <p className="metric" data-testid={`psnr-${kind}`}>
        {chain?.psnr === null ? 'new image: no original to compare with' : `PSNR vs original: ${db(chain?.psnr)}`} {waiting && <em>· computing…</em>}
      </p>
    </Panel>
  );
}

/** Direct, the paper's baseline: one network call R(x_t, t), no steps. */
function DirectPanel() {
  const direct = useAppStore((s) => s.frames[1]?.direct ?? null);
  return (
    <Panel title="Direct (one call)" subtitle="x̂₀ = R(x_t, t)" testId="panel-direct">
      <PixelCanvas pixels={direct?.x0 ?? null} label="direct result: one restorer call" testId="canvas-direct" />
      <p className="metric" data-testid="psnr-direct">
        PSNR vs original: {db(direct?.psnr)} {!direct && <em>· computing…</em>}
      </p>
    </Panel>
  );
}

export function Panels() {
  const original = useAppStore((s) => s.original);
  const localImage = useAppStore((s) => s.localImage);
  const imageId = useAppStore((s) => s.view.image);
  const start = useAppStore((s) => s.frames[0]);
  const { frame, waiting } = useShownFrame();
  const frameIndex = useAppStore((s) => s.view.frame);
  const sample = SAMPLES.find((s) => s.id === imageId);
  const generating = useAppStore((s) => s.view.mode === 'generate');
  if (generating) {
    return (
      <div className="panels generating">
        <Panel title={`Start x_T, t = ${start?.t ?? '…'}`} subtitle="flat colour + faint noise" testId="panel-degraded">
          <PixelCanvas pixels={start?.naive.xt} label="start of generation: a flat colour" testId="canvas-degraded" />
        </Panel>
        <SamplerPanel kind="naive" chain={frame?.naive} frameIndex={frameIndex} waiting={waiting} />
        <SamplerPanel kind="improved" chain={frame?.improved} frameIndex={frameIndex} waiting={waiting} />
      </div>
    );
  }
  return (
    <div className="panels">
      <Panel title="Original x₀" subtitle={localImage ?? (sample ? `${sample.title} · ${sample.author} · ${sample.license}` : '')} testId="panel-original">
        <PixelCanvas pixels={original} label="original image" testId="canvas-original" />
      </Panel>
      <Panel title={`Degraded x_t, t = ${start?.t ?? '…'}`} subtitle="the samplers' input" testId="panel-degraded">
        <PixelCanvas pixels={start?.naive.xt} label="degraded image" testId="canvas-degraded" />
        <p className="metric">PSNR vs original: {db(start?.naive.psnr)}</p>
      </Panel>
      <DirectPanel />
      <SamplerPanel kind="naive" chain={frame?.naive} frameIndex={frameIndex} waiting={waiting} />
      <SamplerPanel kind="improved" chain={frame?.improved} frameIndex={frameIndex} waiting={waiting} />
    </div>
  );
}
