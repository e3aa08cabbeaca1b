/**
 * A step's floats as the page's pictures and figures: pure JavaScript, no tensors, so it runs in the
 * sampler's worker or in a second one beside it (stepPainter.ts), and under Node.
 */
import { floatToRgba } from '../rgba';
import { psnr, rmse, type ImageData3 } from '../metrics';
import { RESIDUAL_GAIN, type ChainPixels, type DirectPixels, type FramePixels, type Pixels } from './types';

/** The iterative samplers the page shows, side by side, in the order of the batch's rows. */
export const KINDS = ['naive', 'improved'] as const;
export type Kind = (typeof KINDS)[number];

export type Size = { width: number; height: number };
export type Chains = Pick<FramePixels, Kind>;
export type StepFrame = Chains & Pick<FramePixels, 'direct'>;

export const toPixels = (values: Float32Array, { width, height }: Size): Pixels => ({ width, height, rgba: floatToRgba(values, width * height) });

/** What a run's pictures start from: its size, the original (null when generating) and the degraded start x_t. */
export interface PictureStart {
  size: Size;
  reference: Float32Array | null;
  start: Float32Array;
}

/**
 * One step's values as read back, the chains in KINDS' order as rows of each batch: x_{s−1}, x̂0,
 * D(x̂0, s), D(x̂0, s−1); and the true path D(x0, s−1) and direct's D(x̂0_direct, s−1) (null when generating).
 */
export interface StepFloats {
  first: boolean;
  truth: Float32Array | null;
  directPath: Float32Array | null;
  xt: Float32Array;
  x0: Float32Array;
  atS: Float32Array;
  atPrev: Float32Array;
}

/** Frame 0's chains: both at the degraded start x_t. */
export function startChains({ size, reference, start }: PictureStart): Chains {
  const chain = (): ChainPixels => ({
    xt: toPixels(start, size),
    psnr: reference && psnr({ data: start, ...size }, { data: reference, ...size }),
    drift: reference ? 0 : null,
    step: null,
  });
  return { naive: chain(), improved: chain() };
}

/** A run's step pictures, one step after another: each chain's residual needs its state before the step. */
export class StepPictures {
  private readonly previous: Record<Kind, Float32Array>;
  private readonly reference: ImageData3 | null;
  private directPsnr: number | null = null;

  constructor(private readonly run: PictureStart) {
    this.previous = { naive: run.start, improved: run.start };
    this.reference = run.reference && { data: run.reference, ...run.size };
  }

  paint(f: StepFloats): StepFrame {
    const { size, start } = this.run;
    const n = start.length;
    const row = (batch: Float32Array, i: number) => batch.subarray(i * n, (i + 1) * n);
    const chains = {} as Chains;
    KINDS.forEach((k, i) => {
      chains[k] = chainPixels({ xt: row(f.xt, i), x0: row(f.x0, i), atS: row(f.atS, i), atPrev: row(f.atPrev, i) }, this.previous[k], size, this.reference, f.truth);
      this.previous[k] = row(f.xt, i);
    });
    // Both chains start at x_t, so their first estimate is the direct result.
    if (f.first) this.directPsnr = chains.naive.step!.x0Psnr;
    const at = (data: Float32Array): ImageData3 => ({ data, ...size });
    const direct: DirectPixels = {
      x0: f.first ? chains.naive.step!.x0 : null,
      psnr: this.directPsnr,
      pathPsnr: this.reference && f.directPath ? psnr(at(f.directPath), this.reference) : null,
      pathDrift: f.truth && f.directPath ? rmse(at(f.directPath), at(f.truth)) : null,
    };
    return { ...chains, direct };
  }
}

/** One chain's step as read back: x_{s−1}, x̂0 = R(x_s, s), D(x̂0, s) and D(x̂0, s−1). */
export interface StepValues {
  xt: Float32Array;
  x0: Float32Array;
  atS: Float32Array;
  atPrev: Float32Array;
}

/** One chain's frame: its state and the parts of the step that produced it (`xs`: its state before). */
export function chainPixels(step: StepValues, xs: Float32Array, size: Size, reference: ImageData3 | null, truth: Float32Array | null): ChainPixels {
  const residual = new Float32Array(xs.length);
  let squares = 0;
  for (let i = 0; i < xs.length; i++) {
    const r = xs[i]! - step.atS[i]!;
    residual[i] = r * RESIDUAL_GAIN;
    squares += (r / 2) ** 2;
  }
  return {
    xt: toPixels(step.xt, size),
    psnr: reference && psnr({ data: step.xt, ...size }, reference),
    drift: truth && rmse({ data: step.xt, ...size }, { data: truth, ...size }),
    step: {
      x0: toPixels(step.x0, size),
      atS: toPixels(step.atS, size),
      atPrev: toPixels(step.atPrev, size),
      residual: toPixels(residual, size),
      residualRms: Math.sqrt(squares / xs.length),
      x0Psnr: reference && psnr({ data: step.x0, ...size }, reference),
    },
  };
}

/** The buffers a frame's pictures hold, each once (direct's x̂0 is naive's first estimate): moved, not copied, between threads. */
export function frameBuffers(frame: Chains & { direct: { x0: Pixels | null } | null }): ArrayBuffer[] {
  const chain = (c: ChainPixels) => [c.xt, ...(c.step ? [c.step.x0, c.step.atS, c.step.atPrev, c.step.residual] : [])];
  const pixels: Pixels[] = [...chain(frame.naive), ...chain(frame.improved), ...(frame.direct?.x0 ? [frame.direct.x0] : [])];
  return [...new Set(pixels.map((p) => p.rgba.buffer as ArrayBuffer))];
}
