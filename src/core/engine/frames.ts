import * as tf from '@tensorflow/tfjs-core';
import type { Degradation } from '../degradations';
import type { BatchedFrame } from '../samplers';
import type { Original } from './sourceImage';
import type { StepPainter } from './stepPainter';
import { KINDS, startChains, toPixels, type Chains, type Kind, type PictureStart, type Size, type StepFloats } from './stepPictures';
import type { ForwardStrip } from './types';

/** Waits for a step's values from the backend: the engine's watchdog. */
export type ReadBack = (values: Promise<Float32Array[]>) => Promise<Float32Array[]>;

/**
 * The floats of each tensor, as arrays of their own (the painter may move them to another thread).
 * tfjs-wasm's read copies out of its memory already; the CPU backend hands out its own storage (shared
 * with clones), so that is copied. On the CPU backends the values are in memory, and reading them at
 * once saves the promises' round trips (4 ms a step in Chromium on WASM, measured with the step
 * profile); the GPU backends are waited for.
 */
async function readAll(tensors: tf.Tensor[]): Promise<Float32Array[]> {
  const backend = tf.getBackend();
  if (backend === 'wasm') return tensors.map((x) => x.dataSync<'float32'>());
  if (backend === 'cpu') return tensors.map((x) => x.dataSync<'float32'>().slice());
  return (await Promise.all(tensors.map((x) => x.data<'float32'>()))).map((v) => v.slice());
}

const sizeOf = (x: tf.Tensor4D): Size => ({ width: x.shape[2], height: x.shape[1] });

/** The tensors of a sampler frame, which belong to its consumer. */
export function frameTensors(f: BatchedFrame<Kind>): tf.Tensor4D[] {
  return [f.xt, f.x0, f.atS, f.atPrev].filter((x): x is tf.Tensor4D => x !== null);
}

/**
 * A run's sampler frames, read back from the backend for the painter (stepPainter.ts), which turns
 * them into pixels and measures them against the original and its true trajectory D(x0, s−1) where
 * there is one.
 */
export class RunFrames {
  private readonly start: PictureStart;
  /** Direct's x̂0, from frame 1 on: its path D(x̂0, s−1) is drawn at every step. */
  private direct: tf.Tensor4D | null = null;

  constructor(
    private readonly D: Degradation,
    private readonly original: Original | null,
    xs: tf.Tensor4D,
    startFloats: Float32Array,
    painter: StepPainter,
  ) {
    this.start = { size: sizeOf(xs), reference: original?.floats ?? null, start: startFloats };
    painter.begin(this.start);
  }

  /** Frame 0's chains: both at the degraded start x_t. */
  startChains(): Chains {
    return startChains(this.start);
  }

  /**
   * A step (index 1 on): its paths computed and every value read back, for the painter (stepPainter.ts).
   * Frees the sampler frame's tensors whatever happens. `phases`: its times (ms), added to.
   */
  async read(f: BatchedFrame<Kind>, readBack: ReadBack, phases?: { paths: number; readBack: number }): Promise<StepFloats> {
    let clock = performance.now();
    const lap = (phase: 'paths' | 'readBack') => {
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
      const [xt, x0, atS, atPrev] = values.slice(paths.length) as [Float32Array, Float32Array, Float32Array, Float32Array];
      return { first, truth, directPath, xt, x0, atS, atPrev };
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
