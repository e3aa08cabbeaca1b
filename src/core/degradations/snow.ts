import * as tf from '@tensorflow/tfjs-core';
import { CATALOG } from './catalog';
import { normals, STREAM_SNOW } from './rng';
import { CatalogDegradation, checkStep } from './types';

/** Constants of training/snow.py. */
export const SNOW = {
  flakeSigma: 1.2,
  flakeRadius: 4,
  thresholdStart: 2.8,
  thresholdEnd: 1.2,
  flakeGain: 2,
  streakSigmaStart: 0.3,
  streakSigmaEnd: 1.2,
} as const;

function taps(sigma: number, radius: number): Float64Array {
  const k = Float64Array.from({ length: 2 * radius + 1 }, (_, i) => Math.exp(-0.5 * ((i - radius) / sigma) ** 2));
  const sum = k.reduce((a, b) => a + b, 0);
  return k.map((v) => v / sum);
}

/** out[i] = Σ_j k_j · a[i + j - r] along rows (axis 0) or columns (axis 1), wrapping around. */
function circularBlur(a: Float64Array, height: number, width: number, k: Float64Array, axis: 0 | 1): Float64Array {
  const r = k.length >> 1;
  const out = new Float64Array(a.length);
  for (let j = 0; j < k.length; j++) {
    const w = k[j]!;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const src = axis === 0 ? (((y + j - r) % height) + height) % height * width + x : y * width + ((((x + j - r) % width) + width) % width);
        out[y * width + x]! += w * a[src]!;
      }
    }
  }
  return out;
}

/** Unit-variance smoothed noise the flakes are cut from, row-major [height·width]. */
export function flakeField(seed: number, height: number, width: number): Float64Array {
  const k = taps(SNOW.flakeSigma, SNOW.flakeRadius);
  const z = circularBlur(circularBlur(normals(seed, STREAM_SNOW, height * width), height, width, k, 0), height, width, k, 1);
  const energy = k.reduce((a, v) => a + v * v, 0);
  return z.map((v) => v / energy);
}

/** Snow coverage α_t in [0, 1], row-major [height·width], as training/snow.py computes it. */
export function snowCoverage(field: Float64Array, height: number, width: number, t: number, T: number): Float64Array {
  if (t === 0) return new Float64Array(height * width);
  const a = t / T;
  const threshold = SNOW.thresholdStart + (SNOW.thresholdEnd - SNOW.thresholdStart) * a;
  const flakes = field.map((z) => Math.min(1, Math.max(0, SNOW.flakeGain * (z - threshold))));
  const sigma = SNOW.streakSigmaStart + (SNOW.streakSigmaEnd - SNOW.streakSigmaStart) * a;
  const streaks = circularBlur(flakes, height, width, taps(sigma, Math.ceil(3 * sigma)), 0).map((v) => Math.min(1, Math.max(0, (1 + sigma) * v)));
  const n = streaks.length;
  return streaks.map((v, i) => Math.min(1, v + streaks[n - 1 - i]!));
}

/**
 * Snow. Mirror of training/snow.py: D(x0, t) = x0 + (1 - x0)·α_t, a screen blend towards
 * white with a snow layer fixed by the seed (and its 180° turn). Not cumulative, and
 * affine in x0 for a fixed t.
 */
export class SnowDegradation extends CatalogDegradation {
  private readonly fields = new Map<string, Float64Array>();
  private readonly coverages = new Map<string, Float32Array>();

  constructor(readonly seed = 0) {
    super(CATALOG.snow);
  }

  coverage(height: number, width: number, t: number): Float32Array {
    const key = `${height}x${width}`;
    let field = this.fields.get(key);
    if (!field) {
      field = flakeField(this.seed, height, width);
      this.fields.set(key, field);
    }
    let alpha = this.coverages.get(`${key}@${t}`);
    if (!alpha) {
      alpha = Float32Array.from(snowCoverage(field, height, width, t, this.T));
      this.coverages.set(`${key}@${t}`, alpha);
    }
    return alpha;
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    const [, height, width] = x.shape;
    const alpha = this.coverage(height, width, t);
    return tf.tidy(() => {
      const a = tf.tensor4d(alpha, [1, height, width, 1]);
      return tf.add<tf.Tensor4D>(x, tf.mul(tf.sub(1, x), a));
    });
  }
}
