import * as tf from '@tensorflow/tfjs-core';
import type { Degradation } from '../degradations';
import { floatToRgba } from '../image';
import { psnr, rmse, type ImageData3 } from '../metrics';
import type { BatchedFrame } from '../samplers';
import type { Original } from './sourceImage';
import { RESIDUAL_GAIN, type ChainPixels, type DirectPixels, type ForwardStrip, type FramePixels, type Pixels } from './types';

/** The iterative samplers the page shows, side by side. */
export const KINDS = ['naive', 'improved'] as const;
export type Kind = (typeof KINDS)[number];

type Size = { width: number; height: number };
type Chains = Pick<FramePixels, Kind>;

/** Waits for a step's values from the backend: the engine's watchdog. */
export type ReadBack = (values: Promise<Float32Array[]>) => Promise<Float32Array[]>;

/**
 * The floats of each tensor. On the CPU backends the values are already in memory, and reading them at
 * once saves the promises' round trips (4 ms a step in Chromium on WASM, measured with the step profile);
 * the GPU backends are waited for.
 */
function readAll(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  const backend = tf.getBackend();
  if (backend === 'wasm' || backend === 'cpu') return Promise.resolve(tensors.map((x) => x.dataSync<'float32'>()));
  return Promise.all(tensors.map((x) => x.data<'float32'>()));
}

const sizeOf = (x: tf.Tensor4D): Size => ({ width: x.shape[2], height: x.shape[1] });

export const toPixels = (values: Float32Array, { width, height }: Size): Pixels => ({ width, height, rgba: floatToRgba(values, width * height) });

/** The tensors of a sampler frame, which belong to its consumer. */
export function frameTensors(f: BatchedFrame<Kind>): tf.Tensor4D[] {
  return [f.xt, f.x0, f.atS, f.atPrev].filter((x): x is tf.Tensor4D => x !== null);
}

/**
 * A run's sampler frames as the page's frames: read back from the backend, turned into pixels,
 * and measured against the original and its true trajectory D(x0, s−1) where there is one.
 */
export class RunFrames {
  private readonly size: Size;
  private readonly reference: ImageData3 | null;
  /** Each chain's x_s, to show the residual x_s − D(x̂0, s) of the next step. */
  private readonly previous: Record<Kind, Float32Array>;
  /** Direct's x̂0, from frame 1 on: its path D(x̂0, s−1) is drawn at every step. */
  private direct: tf.Tensor4D | null = null;
  private directPsnr: number | null = null;

  constructor(
    private readonly D: Degradation,
    private readonly original: Original | null,
    xs: tf.Tensor4D,
    private readonly startFloats: Float32Array,
  ) {
    this.size = sizeOf(xs);
    this.reference = original ? { data: original.floats, ...this.size } : null;
    this.previous = { naive: startFloats, improved: startFloats };
  }

  /** Frame 0's chains: both at the degraded start x_t. */
  startChains(): Chains {
    const chain = (): ChainPixels => ({
      xt: toPixels(this.startFloats, this.size),
      psnr: this.reference && psnr({ data: this.startFloats, ...this.size }, this.reference),
      drift: this.reference ? 0 : null,
      step: null,
    });
    return { naive: chain(), improved: chain() };
  }

  /** The frame of a step (index 1 on); frees the sampler frame's tensors whatever happens. `phases`: its times (ms), added to. */
  async step(f: BatchedFrame<Kind>, readBack: ReadBack, phases?: { paths: number; readBack: number; pixels: number }): Promise<Chains & Pick<FramePixels, 'direct'>> {
    let clock = performance.now();
    const lap = (phase: 'paths' | 'readBack' | 'pixels') => {
      const now = performance.now();
      if (phases) phases[phase] += now - clock;
      clock = now;
    };
    const owned = frameTensors(f);
    try {
      if (f.kinds.join() !== KINDS.join() || !f.x0 || !f.atS || !f.atPrev) throw new Error(`a step frame must hold ${KINDS.join(' and ')}, in that order`);
      const first = f.index === 1;
      if (first) this.direct = tf.tidy(() => tf.slice(f.x0!, [KINDS.indexOf('naive'), 0, 0, 0], [1, -1, -1, -1]));
      const paths = this.paths(f.t);
      owned.push(...paths);
      lap('paths');
      // A lost GPU can leave a read-back waiting forever: the watchdog turns that into a failure.
      const values = await readBack(readAll([...paths, f.xt, f.x0, f.atS, f.atPrev]));
      lap('readBack');
      const [truth, directPath] = paths.length ? [values[0]!, values[1]!] : [null, null];
      const [xt, x0, atS, atPrev] = values.slice(paths.length);
      const n = this.startFloats.length;
      const row = (batch: Float32Array, i: number) => batch.subarray(i * n, (i + 1) * n);
      const chains = {} as Chains;
      KINDS.forEach((k, i) => {
        chains[k] = chainPixels({ xt: row(xt!, i), x0: row(x0!, i), atS: row(atS!, i), atPrev: row(atPrev!, i) }, this.previous[k], this.size, this.reference, truth);
        this.previous[k] = row(xt!, i);
      });
      // Both chains start at x_t, so their first estimate is the direct result.
      if (first) this.directPsnr = chains.naive.step!.x0Psnr;
      const at = (data: Float32Array): ImageData3 => ({ data, ...this.size });
      const direct: DirectPixels = {
        x0: first ? chains.naive.step!.x0 : null,
        psnr: this.directPsnr,
        pathPsnr: this.reference && directPath ? psnr(at(directPath), this.reference) : null,
        pathDrift: truth && directPath ? rmse(at(directPath), at(truth)) : null,
      };
      lap('pixels');
      return { ...chains, direct };
    } finally {
      tf.dispose(owned);
    }
  }

  dispose(): void {
    this.direct?.dispose();
  }

  /** The true trajectory D(x0, s−1) and direct's path D(x̂0_direct, s−1), in one call; none when generating. */
  private paths(t: number): tf.Tensor4D[] {
    const { original, direct, D } = this;
    if (!original || !direct) return [];
    return tf.tidy(() => tf.split<tf.Tensor4D>(D.apply(tf.concat4d([original.tensor, direct], 0), t), 2, 0));
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

/** D(x0, t) at `count` steps spread over 0..T, for the strip above the panels. */
export async function forwardFrames(D: Degradation, x0: tf.Tensor4D, count: number): Promise<ForwardStrip['frames']> {
  const steps = [...new Set(Array.from({ length: count }, (_, k) => Math.round((k * D.T) / (count - 1))))];
  const size = sizeOf(x0);
  const out: ForwardStrip['frames'] = [];
  for (const t of steps) {
    const x = D.apply(x0, t);
    try {
      out.push({ t, pixels: toPixels(await x.data<'float32'>(), size) });
    } finally {
      x.dispose();
    }
  }
  return out;
}
