import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, operatorParityError, randomImage, useCpuBackend } from '../testing/fixtures';
import { SnowDegradation } from './snow';

beforeAll(useCpuBackend);

const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);

describe('SnowDegradation', () => {
  it('is the identity at t = 0, only ever brightens, and keeps white white', () => {
    const D = new SnowDegradation(3);
    const x = randomImage(32, 32, 1);
    expect(maxAbsDiff(D.apply(x, 0), x)).toBe(0);
    expect(tf.min(tf.sub(D.apply(x, D.T), x)).dataSync()[0]).toBeGreaterThanOrEqual(-1e-6);
    const white = tf.ones([1, 32, 32, 3]) as tf.Tensor4D;
    expect(maxAbsDiff(D.apply(white, 30), white)).toBeLessThan(1e-6);
  });

  it('snows more as t grows, and the seed fixes the flakes', () => {
    const D = new SnowDegradation(4);
    const cover = [1, 10, 25, 50].map((t) => sum(D.coverage(64, 64, t)));
    for (let i = 1; i < cover.length; i++) expect(cover[i]!).toBeGreaterThan(cover[i - 1]!);
    expect(cover[3]! / (64 * 64)).toBeGreaterThan(0.15);
    const again = new SnowDegradation(4).coverage(64, 64, 25);
    expect(Array.from(again)).toEqual(Array.from(D.coverage(64, 64, 25)));
    expect(Array.from(new SnowDegradation(5).coverage(64, 64, 25))).not.toEqual(Array.from(again));
  });

  it('matches the PyTorch operator within 1e-4 (training/snow.py fixtures, two seeds)', () => {
    const r = operatorParityError('snow', (seed, x, t) => new SnowDegradation(seed).apply(x, t));
    expect(r.T).toBe(new SnowDegradation().T);
    expect(r.checked).toBeGreaterThanOrEqual(8);
    expect(r.error).toBeLessThan(1e-4);
  });
});
