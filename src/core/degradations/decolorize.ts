import * as tf from '@tensorflow/tfjs-core';
import { CATALOG } from './catalog';
import { CatalogDegradation, checkStep } from './types';

/**
 * Decolorize. Mirror of training/decolorize.py: D(x0, t) = (1 - t/T)·x0 + (t/T)·gray(x0),
 * gray = the mean of the three channels. Linear in x0, so improved sampling is exact for a
 * consistent restorer.
 */
export class DecolorizeDegradation extends CatalogDegradation {
  constructor() {
    super(CATALOG.decolorize);
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    return tf.tidy(() => {
      const a = t / this.T;
      const gray = tf.mean(x, 3, true);
      return tf.add<tf.Tensor4D>(tf.mul(x, 1 - a), tf.mul(gray, a));
    });
  }
}
