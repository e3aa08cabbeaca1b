import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, operatorParityError, randomImage, useCpuBackend } from '../testing/fixtures';
import { alphaBar } from './catalog';
import { jointSampler, runToEnd } from '../samplers';
import { NoiseDegradation } from './noise';

beforeAll(useCpuBackend);

describe('NoiseDegradation', () => {
  it('follows the cosine schedule from 1 to 0', () => {
    expect(alphaBar(0)).toBe(1);
    expect(alphaBar(50)).toBeLessThan(1e-6);
    for (let t = 1; t <= 50; t++) expect(alphaBar(t)).toBeLessThan(alphaBar(t - 1));
  });

  it('is the identity at t = 0 and the seed’s noise alone at t = T', () => {
    const D = new NoiseDegradation(11);
    const a = randomImage(32, 32, 1);
    const b = randomImage(32, 32, 2);
    expect(maxAbsDiff(D.apply(a, 0), a)).toBe(0);
    expect(maxAbsDiff(D.apply(a, D.T), D.apply(b, D.T))).toBeLessThan(1e-3);
    const eps = D.apply(tf.zeros([1, 64, 64, 3]) as tf.Tensor4D, D.T);
    const { mean, variance } = tf.moments(eps);
    expect(Math.abs(mean.dataSync()[0]!)).toBeLessThan(0.05);
    expect(Math.abs(variance.dataSync()[0]! - 1)).toBeLessThan(0.06);
  });

  it('keeps the same noise for a seed and changes it with the seed', () => {
    const x = randomImage(16, 16, 3);
    expect(maxAbsDiff(new NoiseDegradation(1).apply(x, 20), new NoiseDegradation(1).apply(x, 20))).toBe(0);
    expect(maxAbsDiff(new NoiseDegradation(1).apply(x, 20), new NoiseDegradation(2).apply(x, 20))).toBeGreaterThan(0.5);
  });

  it('the samplers never read the noise that made x_t: they estimate it, and with the true x0 they end there', () => {
    const D = new NoiseDegradation(5);
    const x0 = randomImage(16, 16, 4);
    const xs = D.apply(x0, 30);
    // Poison the seed's noise after x_t is built: a sampler that read it would turn to NaN.
    for (const field of (D as unknown as { fields: Map<string, Float32Array> }).fields.values()) field.fill(Number.NaN);
    const oracle = () => tf.clone(x0);
    for (const kind of ['naive', 'improved'] as const) {
      const out = runToEnd(D, oracle, xs, 30, kind);
      expect(maxAbsDiff(out, x0)).toBeLessThan(1e-4);
    }
    const poor = (x: tf.Tensor4D) => tf.mul<tf.Tensor4D>(x, 0.5);
    const naive = runToEnd(D, poor, xs, 30, 'naive');
    const improved = runToEnd(D, poor, xs, 30, 'improved');
    expect(Number.isFinite(naive.dataSync()[0])).toBe(true);
    // With the estimated noise, improved sampling is DDIM and naive sampling takes the same step.
    expect(maxAbsDiff(naive, improved)).toBeLessThan(1e-5);
    const frames = [...jointSampler(D, poor, xs, 3, ['naive', 'improved'])];
    expect(frames).toHaveLength(4);
  });

  it('matches the PyTorch operator within 1e-4 (training/noise.py fixtures, two seeds)', () => {
    const r = operatorParityError('noise', (seed, x, t) => new NoiseDegradation(seed).apply(x, t));
    expect(r.T).toBe(new NoiseDegradation().T);
    expect(r.checked).toBeGreaterThanOrEqual(8);
    expect(r.error).toBeLessThan(1e-4);
  });
});
