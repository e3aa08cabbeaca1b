import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeTensor, maxAbsDiff, PARITY_DIR, readJson, useCpuBackend, type EncodedTensor } from '../testing/fixtures';
import { blurSigma, BlurDegradation, gaussianKernel, reflectIndices } from './blur';

beforeAll(useCpuBackend);

describe('blur schedule', () => {
  it('matches the documented σ(T/2) ≈ 6.0 and σ(T) ≈ 14.3 px', () => {
    expect(blurSigma(20)).toBeCloseTo(6.0, 1);
    expect(blurSigma(40)).toBeCloseTo(14.28, 2);
    expect(blurSigma(0)).toBe(0);
  });

  it('composes: σ(t)² is the sum of the per-step variances', () => {
    for (let t = 1; t <= 40; t++) {
      const step = 0.5 + 0.08 * (t - 1);
      expect(blurSigma(t) ** 2).toBeCloseTo(blurSigma(t - 1) ** 2 + step ** 2, 8);
    }
  });

  it('kernels are normalised and symmetric', () => {
    const k = gaussianKernel(3.7, 12);
    expect(k.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    for (let i = 0; i < 12; i++) expect(k[i]).toBeCloseTo(k[24 - i]!, 7);
  });

  it('reflects borders without repeating the edge, for pads larger than the image', () => {
    expect(Array.from(reflectIndices(4, 3))).toEqual([3, 2, 1, 0, 1, 2, 3, 2, 1, 0]);
    expect(Array.from(reflectIndices(3, 5))).toEqual([1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1]);
    expect(Array.from(reflectIndices(1, 2))).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('BlurDegradation', () => {
  const D = new BlurDegradation();

  it('is the identity at t = 0', () => {
    const x = tf.randomUniform([1, 16, 16, 3], -1, 1) as tf.Tensor4D;
    expect(maxAbsDiff(D.apply(x, 0), x)).toBe(0);
  });

  it('keeps a constant image constant and preserves the mean of any image (reflect borders)', () => {
    const flat = tf.fill([1, 20, 20, 3], 0.3) as tf.Tensor4D;
    expect(maxAbsDiff(D.apply(flat, 40), flat)).toBeLessThan(1e-5);
  });

  it('loses detail monotonically as t grows', () => {
    const x = tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    const energy = (y: tf.Tensor) => tf.tidy(() => tf.mean(tf.square(tf.sub(y, tf.mean(y)))).dataSync()[0]!);
    const e = [0, 1, 5, 10, 20, 40].map((t) => energy(D.apply(x, t)));
    for (let i = 1; i < e.length; i++) expect(e[i]!).toBeLessThan(e[i - 1]!);
  });

  it('costs the same at every t: one kernel length for all steps', () => {
    expect(D.radius).toBe(43);
  });

  it('rejects steps outside 0..T', () => {
    const x = tf.zeros([1, 8, 8, 3]) as tf.Tensor4D;
    expect(() => D.apply(x, 41)).toThrow(/0\.\.40/);
    expect(() => D.apply(x, 1.5)).toThrow(RangeError);
  });

  it('matches the PyTorch operator within 1e-4 (training/blur.py fixtures)', () => {
    const fx = readJson<{ T: number; radius: number; cases: { input: EncodedTensor; outputs: Record<string, EncodedTensor> }[] }>(join(PARITY_DIR, 'blur.json'));
    expect(fx.T).toBe(D.T);
    expect(fx.radius).toBe(D.radius);
    let checked = 0;
    for (const c of fx.cases) {
      const x = decodeTensor(c.input);
      for (const [t, expected] of Object.entries(c.outputs)) {
        expect(maxAbsDiff(D.apply(x, Number(t)), decodeTensor(expected)), `t=${t} shape=${c.input.shape}`).toBeLessThan(1e-4);
        checked++;
      }
    }
    expect(checked).toBe(12);
  });
});
