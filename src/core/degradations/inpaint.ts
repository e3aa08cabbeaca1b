import * as tf from '@tensorflow/tfjs-core';
import { CATALOG, INPAINT_SCHEDULE } from './catalog';
import { STREAM_HOLE, uniforms } from './rng';
import { CatalogDegradation, checkStep } from './types';

/** Hole centre (row, column), drawn from the seed in the middle half of the image. */
export function holeCentre(seed: number, height: number, width: number): [number, number] {
  const [u, v] = uniforms(seed, STREAM_HOLE, 2);
  return [(height >> 2) + Math.floor(u! * (height >> 1)), (width >> 2) + Math.floor(v! * (width >> 1))];
}

/** Π_{i<t} (1 - exp(-r²/(2σ_i²))), row-major [height·width], in float64 as in training/inpaint.py. */
export function holeMask(seed: number, height: number, width: number, t: number): Float64Array {
  const [cy, cx] = holeCentre(seed, height, width);
  const mask = new Float64Array(height * width).fill(1);
  for (let i = 0; i < t; i++) {
    const sigma = INPAINT_SCHEDULE.sigmaSlope * (i + INPAINT_SCHEDULE.sigmaOffset);
    const scale = 1 / (2 * sigma * sigma);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const r2 = (y - cy) ** 2 + (x - cx) ** 2;
        mask[y * width + x]! *= 1 - Math.exp(-r2 * scale);
      }
    }
  }
  return mask;
}

/**
 * Inpaint: a growing Gaussian hole. Mirror of training/inpaint.py:
 * D(x0, t) = x0 · Π_{i<t} m_i, m_i = 1 - g_{σ_i}/max g_{σ_i} centred on a pixel chosen by
 * the seed. Masked pixels go to 0 (mid gray). Linear in x0, so improved sampling is exact
 * for a consistent restorer.
 */
export class InpaintDegradation extends CatalogDegradation {
  private readonly masks = new Map<string, Float32Array>();

  constructor(readonly seed = 0) {
    super(CATALOG.inpaint);
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    const [, height, width] = x.shape;
    const key = `${height}x${width}@${t}`;
    let mask = this.masks.get(key);
    if (!mask) {
      mask = Float32Array.from(holeMask(this.seed, height, width, t));
      this.masks.set(key, mask);
    }
    const m = mask;
    return tf.tidy(() => tf.mul<tf.Tensor4D>(x, tf.tensor4d(m, [1, height, width, 1])));
  }
}
