import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BlurDegradation } from '../degradations/blur';
import { directSampler, runToEnd } from '../samplers';
import { decodeTensor, maxAbsDiff, PARITY_DIR, readJson, REPO_ROOT, useCpuBackend, type EncodedTensor } from '../testing/fixtures';
import { loadModel } from './loader';
import { directorySource } from './nodeSource';

beforeAll(useCpuBackend);

interface NetworkFixture {
  input: EncodedTensor;
  predict: Record<string, EncodedTensor>;
  samplers?: { start: number; x_start: EncodedTensor; direct: EncodedTensor; naive: EncodedTensor; improved: EncodedTensor };
}

/** Checks an exported model against what PyTorch computed with the same (decoded) weights. */
export async function checkNetworkParity(modelDir: string, fixturePath: string, tolerance = 1e-3): Promise<number> {
  const { unet, manifest } = await loadModel(directorySource(modelDir));
  const fx = readJson<NetworkFixture>(fixturePath);
  const x = decodeTensor(fx.input);
  let checked = 0;
  for (const [t, expected] of Object.entries(fx.predict)) {
    const want = decodeTensor(expected);
    const got = unet.predict(x, Number(t));
    // Guard against a fixture that a do-nothing network would also pass.
    expect(maxAbsDiff(want, x), `fixture t=${t} is trivial`).toBeGreaterThan(10 * tolerance);
    expect(maxAbsDiff(got, want), `${modelDir} predict t=${t}`).toBeLessThan(tolerance);
    checked++;
  }
  if (fx.samplers) {
    const D = new BlurDegradation();
    expect(D.T).toBe(manifest.degradation.T);
    const R = (z: tf.Tensor4D, t: number) => unet.predict(z, t);
    const xs = decodeTensor(fx.samplers.x_start);
    const s = fx.samplers.start;
    expect(maxAbsDiff(D.apply(x, s), xs)).toBeLessThan(1e-4);
    expect(maxAbsDiff(directSampler(R, xs, s), decodeTensor(fx.samplers.direct))).toBeLessThan(tolerance);
    expect(maxAbsDiff(runToEnd(D, R, xs, s, 'naive'), decodeTensor(fx.samplers.naive))).toBeLessThan(tolerance);
    expect(maxAbsDiff(runToEnd(D, R, xs, s, 'improved'), decodeTensor(fx.samplers.improved))).toBeLessThan(tolerance);
    checked += 3;
  }
  unet.dispose();
  return checked;
}

describe('U-Net parity with PyTorch (fixed random weights, every weight non-zero)', () => {
  for (const q of ['float32', 'float16', 'uint8']) {
    it(`${q} weights: network outputs within 1e-3${q === 'float32' ? ', and all three samplers' : ''}`, async () => {
      const dir = join(PARITY_DIR, `unet-${q}`);
      const checked = await checkNetworkParity(dir, join(dir, 'outputs.json'));
      expect(checked).toBe(q === 'float32' ? 6 : 3);
    });
  }
});

const shipped = join(REPO_ROOT, 'public', 'models', 'blur');
const shippedFixture = join(PARITY_DIR, 'shipped-blur.json');

describe('the shipped blur model', () => {
  it('exists, loads and matches PyTorch on a held-out photo within 1e-3', async () => {
    expect(existsSync(join(shipped, 'model.json')), 'public/models/blur/model.json is missing').toBe(true);
    expect(await checkNetworkParity(shipped, shippedFixture)).toBeGreaterThanOrEqual(2);
  });
});
