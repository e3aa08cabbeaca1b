import * as tf from '@tensorflow/tfjs-core';
import { CATALOG } from './catalog';
import { checkStep, type Degradation } from './types';

/** Keys cubic (a = -0.75) at distances 1.5, 0.5, 0.5, 1.5: the taps of an exact 2× reduction. */
export const HALVING_TAPS = [-0.09375, 0.59375, 0.59375, -0.09375] as const;

/**
 * Pixelate (super-resolution). Mirror of training/pixelate.py: D(x0, t) is t successive
 * 2× bicubic reductions (half-pixel centres, clamped borders: what PyTorch's bicubic
 * interpolate does, written as four gathers because tfjs has no bicubic resize), then a
 * nearest upsampling by 2^t.
 */
export class PixelateDegradation implements Degradation {
  readonly id = CATALOG.pixelate.id;
  readonly label = CATALOG.pixelate.label;
  readonly description = CATALOG.pixelate.description;
  readonly T = CATALOG.pixelate.T;
  readonly seeded = false;

  strengthLabel(t: number): string {
    return CATALOG.pixelate.strengthLabel(t);
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    const [, height, width] = x.shape;
    const factor = 2 ** t;
    if (height % factor !== 0 || width % factor !== 0) {
      throw new RangeError(`pixelate step ${t} needs sides divisible by ${factor}, got ${height}×${width}`);
    }
    return tf.tidy(() => {
      let y: tf.Tensor4D = x;
      for (let level = 0; level < t; level++) y = halve(halve(y, 1), 2);
      const rows = tf.tensor1d(Int32Array.from({ length: height }, (_, i) => Math.floor(i / factor)), 'int32');
      const cols = tf.tensor1d(Int32Array.from({ length: width }, (_, i) => Math.floor(i / factor)), 'int32');
      return tf.gather(tf.gather(y, rows, 1), cols, 2);
    });
  }
}

function halve(x: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D {
  const n = x.shape[axis];
  let out: tf.Tensor4D | null = null;
  HALVING_TAPS.forEach((weight, k) => {
    const indices = tf.tensor1d(Int32Array.from({ length: n >> 1 }, (_, j) => Math.min(n - 1, Math.max(0, 2 * j - 1 + k))), 'int32');
    const term = tf.mul<tf.Tensor4D>(tf.gather(x, indices, axis), weight);
    out = out === null ? term : tf.add<tf.Tensor4D>(out, term);
  });
  return out!;
}
