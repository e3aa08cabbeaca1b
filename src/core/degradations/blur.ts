import * as tf from '@tensorflow/tfjs-core';
import { BLUR_SCHEDULE, blurSigma, CATALOG, type BlurSchedule } from './catalog';
import { checkStep, type Degradation } from './types';

/**
 * Blur, in closed form. Mirror of training/blur.py.
 *
 * The authors blur t times in sequence; Gaussians compose, so D(x0, t) is one Gaussian
 * of σ(t) = sqrt(Σ_{i<t} s_i²) (schedule in catalog.ts), applied separably. The kernel
 * length is fixed by σ(T), so a call costs the same at every t. Borders reflect
 * (…2 1 | 0 1 2 …) at any size.
 */
export { blurSigma, type BlurSchedule } from './catalog';

/** Normalised Gaussian taps at offsets -radius..radius, summed in float64. */
export function gaussianKernel(sigma: number, radius: number): Float32Array {
  const taps = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let k = -radius; k <= radius; k++) {
    const v = sigma > 0 ? Math.exp(-0.5 * (k / sigma) ** 2) : k === 0 ? 1 : 0;
    taps[k + radius] = v;
    sum += v;
  }
  return Float32Array.from(taps, (v) => v / sum);
}

/** Source index of every position of a reflect-padded axis of length n. */
export function reflectIndices(n: number, pad: number): Int32Array {
  const out = new Int32Array(n + 2 * pad);
  const period = 2 * (n - 1);
  for (let i = -pad; i < n + pad; i++) {
    if (n === 1) {
      out[i + pad] = 0;
      continue;
    }
    let j = ((i % period) + period) % period;
    if (j >= n) j = period - j;
    out[i + pad] = j;
  }
  return out;
}

export class BlurDegradation implements Degradation {
  readonly id = CATALOG.blur.id;
  readonly label = CATALOG.blur.label;
  readonly description = CATALOG.blur.description;
  readonly seeded = false;
  readonly T: number;
  readonly radius: number;
  private readonly kernels: Float32Array[];

  constructor(readonly schedule: BlurSchedule = BLUR_SCHEDULE) {
    this.T = schedule.T;
    this.radius = Math.ceil(schedule.truncateSigmas * blurSigma(schedule.T, schedule));
    this.kernels = Array.from({ length: schedule.T + 1 }, (_, t) => gaussianKernel(blurSigma(t, schedule), this.radius));
  }

  sigma(t: number): number {
    return blurSigma(t, this.schedule);
  }

  strengthLabel(t: number): string {
    return `σ = ${this.sigma(t).toFixed(1)} px`;
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    return tf.tidy(() => {
      const [, height, width, channels] = x.shape;
      const taps = this.kernels[t]!;
      const size = taps.length;
      // Depthwise filters: the same taps for every channel.
      const repeated = new Float32Array(size * channels);
      for (let k = 0; k < size; k++) repeated.fill(taps[k]!, k * channels, (k + 1) * channels);
      const vertical = tf.tensor4d(repeated, [size, 1, channels, 1]);
      const horizontal = tf.tensor4d(repeated, [1, size, channels, 1]);
      const rows = tf.tensor1d(reflectIndices(height, this.radius), 'int32');
      const cols = tf.tensor1d(reflectIndices(width, this.radius), 'int32');
      let y: tf.Tensor4D = tf.gather(x, rows, 1);
      y = tf.depthwiseConv2d(y, vertical, 1, 'valid');
      y = tf.gather(y, cols, 2);
      return tf.depthwiseConv2d(y, horizontal, 1, 'valid');
    });
  }
}
