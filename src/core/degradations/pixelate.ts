import * as tf from '@tensorflow/tfjs-core';
import { CATALOG } from './catalog';
import { applySeparable, MatrixCache } from './separable';
import { CatalogDegradation, checkStep } from './types';

/** Keys cubic (a = -0.75) at distances 1.5, 0.5, 0.5, 1.5: the taps of an exact 2× reduction. */
export const HALVING_TAPS = [-0.09375, 0.59375, 0.59375, -0.09375] as const;

/**
 * Pixelate (super-resolution). Mirror of training/pixelate.py: D(x0, t) is t successive
 * 2× bicubic reductions (half-pixel centres, clamped borders: what PyTorch's bicubic
 * interpolate does), then a nearest upsampling by 2^t. All of that is linear and acts on rows
 * and columns separately, so one n×n matrix per axis holds it (the reductions' taps composed,
 * then the block repeat), and a call is two matrix products (docs/design.md).
 */
export class PixelateDegradation extends CatalogDegradation {
  private readonly matrices = new MatrixCache();

  constructor() {
    super(CATALOG.pixelate);
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    const [, height, width] = x.shape;
    const factor = 2 ** t;
    if (height % factor !== 0 || width % factor !== 0) {
      throw new RangeError(`pixelate step ${t} needs sides divisible by ${factor}, got ${height}×${width}`);
    }
    return tf.tidy(() => applySeparable(x, this.matrix(t, height), this.matrix(t, width)));
  }

  private matrix(t: number, n: number): tf.Tensor2D {
    return this.matrices.get(`${t}:${n}`, () => ({ data: pixelateMatrix(t, n), shape: [n, n] }));
  }
}

/** One axis of D(·, t): row i holds the weight of every source pixel in output pixel i. */
export function pixelateMatrix(t: number, n: number): Float32Array {
  // Start from the identity and halve its rows t times (float64), then repeat each row 2^t times.
  let m: Float64Array[] = Array.from({ length: n }, (_, i) => Float64Array.from({ length: n }, (_, j) => +(i === j)));
  for (let level = 0; level < t; level++) {
    const rows = m.length;
    m = Array.from({ length: rows >> 1 }, (_, j) => {
      const out = new Float64Array(n);
      HALVING_TAPS.forEach((w, k) => {
        const src = m[Math.min(rows - 1, Math.max(0, 2 * j - 1 + k))]!;
        for (let c = 0; c < n; c++) out[c]! += w * src[c]!;
      });
      return out;
    });
  }
  const factor = 2 ** t;
  const data = new Float32Array(n * n);
  for (let i = 0; i < n; i++) data.set(m[Math.floor(i / factor)]!, i * n);
  return data;
}
