import * as tf from '@tensorflow/tfjs-core';
import { expect } from 'vitest';
import { createDegradation, degradationInfo, isDegradationId, loadMixPool } from '../degradations';
import { loadModel } from '../model/loader';
import { directorySource } from '../model/nodeSource';
import { directSampler, runToEnd } from '../samplers';
import { decodeTensor, maxAbsDiff, readJson, type EncodedTensor } from './fixtures';

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
  let largestChange = 0;
  for (const [t, expected] of Object.entries(fx.predict)) {
    const want = decodeTensor(expected);
    const got = unet.predict(x, Number(t));
    largestChange = Math.max(largestChange, maxAbsDiff(want, x));
    expect(maxAbsDiff(got, want), `${modelDir} predict t=${t}`).toBeLessThan(tolerance);
    checked++;
  }
  // Guard against a fixture that a do-nothing network would also pass (at some step the
  // network must change its input; at t = 1 a good restorer may rightly change almost nothing).
  expect(largestChange, 'fixture is trivial: the network changes its input at no step').toBeGreaterThan(10 * tolerance);
  if (fx.samplers) {
    const id = manifest.degradation.id;
    const pool = isDegradationId(id) && degradationInfo(id).mixesPicture ? await loadMixPool(directorySource(modelDir)) : undefined;
    const D = createDegradation(id, { pool });
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
