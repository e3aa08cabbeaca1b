import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeTensor, maxAbsDiff, PARITY_DIR, readJson, useCpuBackend, type EncodedTensor } from '../testing/fixtures';
import { DecolorizeDegradation } from './decolorize';

beforeAll(useCpuBackend);

describe('DecolorizeDegradation', () => {
  const D = new DecolorizeDegradation();

  it('is the identity at t = 0 and fully gray at t = T', () => {
    const x = tf.randomUniform([1, 8, 8, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    expect(maxAbsDiff(D.apply(x, 0), x)).toBe(0);
    const [r, g, b] = tf.split(D.apply(x, D.T), 3, 3);
    expect(maxAbsDiff(r!, g!)).toBeLessThan(1e-6);
    expect(maxAbsDiff(g!, b!)).toBeLessThan(1e-6);
  });

  it('keeps the per-pixel channel mean at every t', () => {
    const x = tf.randomUniform([1, 8, 8, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    for (const t of [1, 5, 13]) expect(maxAbsDiff(tf.mean(D.apply(x, t), 3), tf.mean(x, 3))).toBeLessThan(1e-6);
  });

  it('matches the PyTorch operator within 1e-4 (training/decolorize.py fixtures)', () => {
    const fx = readJson<{ T: number; cases: { input: EncodedTensor; outputs: Record<string, EncodedTensor> }[] }>(join(PARITY_DIR, 'decolorize.json'));
    expect(fx.T).toBe(D.T);
    const x = decodeTensor(fx.cases[0]!.input);
    for (const [t, expected] of Object.entries(fx.cases[0]!.outputs)) {
      expect(maxAbsDiff(D.apply(x, Number(t)), decodeTensor(expected)), `t=${t}`).toBeLessThan(1e-4);
    }
  });
});
