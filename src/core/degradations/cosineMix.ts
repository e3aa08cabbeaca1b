import * as tf from '@tensorflow/tfjs-core';
import { alphaBar } from './catalog';
import { CatalogDegradation, checkStep, type DegradationInfo } from './types';

/**
 * x_t = √ᾱ_t·x0 + √(1 − ᾱ_t)·z on the cosine schedule, z a field fixed for the run by the seed:
 * Gaussian noise (noise.ts) or another picture (animorph.ts). z only makes x_t: stepPair re-mixes
 * with the estimate ẑ = (x_s − √ᾱ_s·x̂0)/√(1 − ᾱ_s), as the authors' get_x2_bar_from_xt does; improved
 * sampling is then DDIM, and naive sampling takes the same step. Mirror of training/noise.py.
 */
export abstract class CosineMixDegradation extends CatalogDegradation {
  /** z per image shape, NHWC. */
  private readonly fields = new Map<string, Float32Array>();

  constructor(
    info: DegradationInfo,
    readonly seed = 0,
  ) {
    super(info);
  }

  /** z for one image of this shape, NHWC. */
  protected abstract makeField(height: number, width: number, channels: number): Float32Array;

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    const [, height, width, channels] = x.shape;
    const key = `${height}x${width}x${channels}`;
    let z = this.fields.get(key);
    if (!z) {
      z = this.makeField(height, width, channels);
      this.fields.set(key, z);
    }
    const field = z;
    const ab = alphaBar(t, this.T);
    return tf.tidy(() => tf.add<tf.Tensor4D>(tf.mul(x, Math.sqrt(ab)), tf.mul(tf.tensor4d(field, [1, height, width, channels]), Math.sqrt(1 - ab))));
  }

  // ẑ depends on s only, so a jump s → next re-mixes at next's ᾱ as one step does: DDIM with strided steps.
  stepPair(xs: tf.Tensor4D, x0: tf.Tensor4D, s: number, next: number): [tf.Tensor4D, tf.Tensor4D] {
    checkStep(this, s);
    checkStep(this, next);
    if (next >= s) throw new RangeError(`${this.id}: a sampler step goes down, from s = ${s} to ${next}`);
    const [aS, aPrev] = [alphaBar(s, this.T), alphaBar(next, this.T)];
    return tf.tidy(() => {
      const z = tf.div(tf.sub(xs, tf.mul(x0, Math.sqrt(aS))), Math.sqrt(Math.max(1 - aS, 1e-12)));
      const at = (a: number) => tf.add<tf.Tensor4D>(tf.mul(x0, Math.sqrt(a)), tf.mul(z, Math.sqrt(1 - a)));
      return [at(aS), at(aPrev)];
    });
  }
}
