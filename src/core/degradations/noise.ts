import * as tf from '@tensorflow/tfjs-core';
import { alphaBar, CATALOG } from './catalog';
import { normals, STREAM_NOISE } from './rng';
import { checkStep, type Degradation } from './types';

/**
 * Gaussian noise, the "hot" diffusion baseline. Mirror of training/noise.py:
 * D(x0, t) = sqrt(ᾱ_t)·x0 + sqrt(1 - ᾱ_t)·ε, cosine schedule, ε fixed for the run by the
 * seed (index (y·W + x)·3 + c, the NHWC order), only to make x_t. The samplers never see it:
 * stepPair re-noises with ε̂ = (x_s − √ᾱ_s·x̂0)/√(1 − ᾱ_s), as the authors' get_x2_bar_from_xt
 * does; improved sampling is then DDIM, and naive sampling takes the same step.
 */
export class NoiseDegradation implements Degradation {
  readonly id = CATALOG.noise.id;
  readonly label = CATALOG.noise.label;
  readonly description = CATALOG.noise.description;
  readonly T = CATALOG.noise.T;
  readonly seeded = true;
  private readonly fields = new Map<string, Float32Array>();

  constructor(readonly seed = 0) {}

  strengthLabel(t: number): string {
    return CATALOG.noise.strengthLabel(t);
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    const [, height, width, channels] = x.shape;
    const key = `${height}x${width}x${channels}`;
    let eps = this.fields.get(key);
    if (!eps) {
      eps = Float32Array.from(normals(this.seed, STREAM_NOISE, height * width * channels));
      this.fields.set(key, eps);
    }
    const e = eps;
    const ab = alphaBar(t, this.T);
    return tf.tidy(() => tf.add<tf.Tensor4D>(tf.mul(x, Math.sqrt(ab)), tf.mul(tf.tensor4d(e, [1, height, width, channels]), Math.sqrt(1 - ab))));
  }

  stepPair(xs: tf.Tensor4D, x0: tf.Tensor4D, s: number): [tf.Tensor4D, tf.Tensor4D] {
    checkStep(this, s);
    if (s === 0) throw new RangeError('noise: a sampler step needs s ≥ 1');
    const [aS, aPrev] = [alphaBar(s, this.T), alphaBar(s - 1, this.T)];
    return tf.tidy(() => {
      const eps = tf.div(tf.sub(xs, tf.mul(x0, Math.sqrt(aS))), Math.sqrt(Math.max(1 - aS, 1e-12)));
      const at = (a: number) => tf.add<tf.Tensor4D>(tf.mul(x0, Math.sqrt(a)), tf.mul(eps, Math.sqrt(1 - a)));
      return [at(aS), at(aPrev)];
    });
  }
}
