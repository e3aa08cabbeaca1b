import * as tf from '@tensorflow/tfjs-core';
import { BLUR_SCHEDULE, blurSigma, blurStrength, CATALOG, type BlurSchedule } from './catalog';
import { applySeparable, MatrixCache } from './separable';
import { CatalogDegradation, checkStep } from './types';

/**
 * Blur, in closed form. Mirror of training/blur.py.
 *
 * The authors blur t times in sequence; Gaussians compose, so D(x0, t) is one Gaussian
 * of σ(t) = sqrt(Σ_{i<t} s_i²) (schedule in catalog.ts), applied separably. The kernel
 * length is fixed by σ(T), so a call costs the same at every t. Borders reflect
 * (…2 1 | 0 1 2 …) at any size.
 *
 * Each 1-D pass is one matrix product with the taps and the reflection folded into an
 * n×n matrix: the same sums as a padded depthwise convolution (to 1e-7), about 10× faster
 * in tfjs-wasm (docs/design.md).
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

/** The blur of one axis of length n as a matrix: row i holds the taps that land on each source pixel. */
export function blurMatrix(taps: Float32Array, n: number, radius: number): Float32Array {
  const source = reflectIndices(n, radius);
  const m = new Float32Array(n * n);
  for (let i = 0; i < n; i++) for (let k = 0; k < taps.length; k++) m[i * n + source[i + k]!]! += taps[k]!;
  return m;
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

export class BlurDegradation extends CatalogDegradation {
  readonly radius: number;
  private readonly kernels: Float32Array[];
  private readonly matrices = new MatrixCache();

  /** Another schedule than the catalog's: generation's blur, inside blurToFlat.ts. */
  constructor(readonly schedule: BlurSchedule = BLUR_SCHEDULE) {
    super({ ...CATALOG.blur, T: schedule.T, strengthLabel: (t) => blurStrength(t, schedule) });
    this.radius = Math.ceil(schedule.truncateSigmas * blurSigma(schedule.T, schedule));
    this.kernels = Array.from({ length: schedule.T + 1 }, (_, t) => gaussianKernel(blurSigma(t, schedule), this.radius));
  }

  sigma(t: number): number {
    return blurSigma(t, this.schedule);
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    const [, height, width] = x.shape;
    return tf.tidy(() => applySeparable(x, this.matrix(t, height), this.matrix(t, width)));
  }

  private matrix(t: number, n: number): tf.Tensor2D {
    return this.matrices.get(`${t}:${n}`, () => ({ data: blurMatrix(this.kernels[t]!, n, this.radius), shape: [n, n] }));
  }
}
