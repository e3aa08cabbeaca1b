import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { generationStart, parseGenerationStart } from '../generation';
import { decodeTensor, maxAbsDiff, operatorParityError, PARITY_DIR, randomImage, readJson, useCpuBackend, type EncodedTensor } from '../testing/fixtures';
import { BlurToFlatDegradation } from './blurToFlat';
import { GENERATORS } from './catalog';

beforeAll(useCpuBackend);

describe('BlurToFlatDegradation (generation)', () => {
  for (const g of Object.values(GENERATORS)) {
    it(`${g.dataset}: ends in the flat per-channel mean and matches PyTorch within 1e-4`, () => {
      const D = new BlurToFlatDegradation(g);
      const x = randomImage(g.size, g.size, 1);
      const flat = D.apply(x, D.T);
      expect(maxAbsDiff(flat, tf.mul(tf.mean(x, [1, 2], true), tf.onesLike(x)))).toBeLessThan(1e-6);
      const r = operatorParityError(g.degradationId, (_seed, img, t) => D.apply(img, t));
      expect(r.T).toBe(D.T);
      expect(r.checked).toBeGreaterThanOrEqual(8);
      expect(r.error).toBeLessThan(1e-4);
    });
  }
});

describe('generation start', () => {
  const fx = readJson<{ start: unknown; cases: { seed: number; size: number; image: EncodedTensor }[] }>(join(PARITY_DIR, 'generation-start.json'));

  it('draws the same colour and noise as training/blur_to_flat.py for a seed', () => {
    const start = parseGenerationStart(fx.start);
    for (const c of fx.cases) {
      const x = tf.tensor4d(generationStart(start, c.seed, c.size), [1, c.size, c.size, 3]);
      expect(maxAbsDiff(x, decodeTensor(c.image))).toBeLessThan(1e-6);
    }
  });

  it('is nearly flat, and a different seed gives a different start', () => {
    const start = parseGenerationStart(fx.start);
    const a = generationStart(start, 1, 8);
    const b = generationStart(start, 2, 8);
    const spread = Math.max(...a.filter((_, i) => i % 3 === 0)) - Math.min(...a.filter((_, i) => i % 3 === 0));
    expect(spread).toBeLessThan(10 * start.noiseSigma * 2);
    expect(Math.abs(a[0]! - b[0]!)).toBeGreaterThan(1e-3);
  });

  it('refuses a model without a valid start', () => {
    expect(() => parseGenerationStart(undefined)).toThrow(/no valid "start"/);
    expect(() => parseGenerationStart({ colourMean: [0, 0], colourCholesky: [], noiseSigma: 0.002 })).toThrow(/no valid "start"/);
  });
});
