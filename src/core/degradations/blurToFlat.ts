import * as tf from '@tensorflow/tfjs-core';
import { BlurDegradation } from './blur';
import type { Generator } from './catalog';
import { CatalogDegradation, checkStep } from './types';

/**
 * Blur to a flat colour, for generation. Mirror of training/blur_to_flat.py: the
 * closed-form blur with the data set's schedule, and at t = T the per-channel mean.
 */
export class BlurToFlatDegradation extends CatalogDegradation {
  private readonly blur: BlurDegradation;

  constructor(generator: Generator) {
    super(generator.info);
    this.blur = new BlurDegradation(generator.schedule);
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t < this.T) return this.blur.apply(x, t);
    return tf.tidy(() => tf.mul<tf.Tensor4D>(tf.mean(x, [1, 2], true), tf.onesLike(x)));
  }
}
