import * as tf from '@tensorflow/tfjs-core';
import { BlurDegradation } from './blur';
import { GENERATION } from './catalog';
import { checkStep, type Degradation } from './types';

/**
 * Blur to a flat colour, for generation. Mirror of training/blur_to_flat.py: the
 * closed-form blur with the generation schedule, and at t = T the per-channel mean.
 */
export class BlurToFlatDegradation implements Degradation {
  readonly id = GENERATION.degradationId;
  readonly label = GENERATION.label;
  readonly description = 'Blur that ends in a single flat colour: generation starts from there.';
  readonly T = GENERATION.schedule.T;
  readonly seeded = false;
  private readonly blur = new BlurDegradation(GENERATION.schedule);

  strengthLabel(t: number): string {
    return t === this.T ? 'flat colour' : this.blur.strengthLabel(t);
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t < this.T) return this.blur.apply(x, t);
    return tf.tidy(() => tf.mul<tf.Tensor4D>(tf.mean(x, [1, 2], true), tf.onesLike(x)));
  }
}
