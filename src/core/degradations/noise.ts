import * as tf from '@tensorflow/tfjs-core';
import { alphaBar, CATALOG } from './catalog';
import { normals, STREAM_NOISE } from './rng';
import { checkStep, type Degradation } from './types';

/**
 * Gaussian noise, the "hot" diffusion baseline. Mirror of training/noise.py:
 * D(x0, t) = sqrt(ᾱ_t)·x0 + sqrt(1 - ᾱ_t)·ε, cosine schedule, ε fixed for the run by the
 * seed (index (y·W + x)·3 + c, the NHWC order). The samplers re-noise with the same ε.
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
}
