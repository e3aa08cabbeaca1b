import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, operatorParityError, randomImage, useCpuBackend } from '../testing/fixtures';
import { PixelateDegradation } from './pixelate';

beforeAll(useCpuBackend);

describe('PixelateDegradation', () => {
  const D = new PixelateDegradation();

  it('is the identity at t = 0 and keeps a flat image flat', () => {
    const x = randomImage(32, 32, 1);
    expect(maxAbsDiff(D.apply(x, 0), x)).toBe(0);
    const flat = tf.fill([1, 32, 32, 3], 0.3) as tf.Tensor4D;
    expect(maxAbsDiff(D.apply(flat, D.T), flat)).toBeLessThan(1e-6);
  });

  it('makes 2^t × 2^t blocks of one colour', () => {
    const y = D.apply(randomImage(32, 32, 2), 3).arraySync()[0]!;
    for (let by = 0; by < 4; by++) {
      for (let bx = 0; bx < 4; bx++) {
        const first = y[by * 8]![bx * 8]!;
        for (let i = 0; i < 8; i++) for (let j = 0; j < 8; j++) expect(y[by * 8 + i]![bx * 8 + j]).toEqual(first);
      }
    }
  });

  it('rejects a size that the steps do not divide', () => {
    expect(() => D.apply(randomImage(24, 24, 3), 4)).toThrow(/divisible by 16/);
  });

  it('matches the PyTorch operator within 1e-4 (training/pixelate.py fixtures)', () => {
    const r = operatorParityError('pixelate', (_seed, x, t) => D.apply(x, t));
    expect(r.T).toBe(D.T);
    expect(r.checked).toBeGreaterThanOrEqual(8);
    expect(r.error).toBeLessThan(1e-4);
  });
});
