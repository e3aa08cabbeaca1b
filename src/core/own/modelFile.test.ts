import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { UNetTopology } from '../model/manifest';
import { UNet } from '../model/unet';
import { directSampler, runToEnd } from '../samplers';
import { decodeTensor, maxAbsDiff, PARITY_DIR, readJson, useCpuBackend, type EncodedTensor } from '../testing/fixtures';
import { OwnDegradation } from './ownDegradation';
import { parseTransform } from './ownTransform';
import { openOwnModel, packOwnModel, readOwnManifest } from './modelFile';
import { weightShapes, type WeightArray } from './trainer';

const TOPOLOGY: UNetTopology = { architecture: 'unet', channels: [8, 16], embedDim: 8, timeDim: 16, T: 12, spaceToDepth: 2 };
const TRANSFORM = '12~gauss.l.3.1.45~darken.i.40';

function weights(): WeightArray[] {
  let state = 7;
  const next = () => ((state = (state * 1103515245 + 12345) >>> 0) / 2 ** 32 - 0.5) * 0.2;
  return weightShapes(TOPOLOGY).map(([name, shape]) => ({ name, shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, next) }));
}

describe('a restorer file for your own transform', () => {
  beforeAll(useCpuBackend);

  it('round-trips: the network opened from the file gives the same output as the one it was written from, with the transform and the training figures', async () => {
    const w = weights();
    const bytes = packOwnModel(TOPOLOGY, w, TRANSFORM, { recipe: 'tiny', steps: 345 });
    const manifest = readOwnManifest(bytes);
    expect(manifest.degradation).toEqual({ id: 'own', T: 12, transform: TRANSFORM });
    expect(manifest.weightsManifest[0]!.sha256[0]).toMatch(/^[0-9a-f]{64}$/);
    const { loaded, info } = await openOwnModel(bytes, 'mine.zip');
    expect(info).toMatchObject({ transform: TRANSFORM, training: { recipe: 'tiny', steps: 345 } });
    const original = new UNet(TOPOLOGY, new Map(w.map((x) => [x.name, tf.tensor(x.data, x.shape)])));
    const x = tf.randomUniform([1, 16, 16, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
    expect(maxAbsDiff(original.predict(x, 5), loaded.unet.predict(x, 5))).toBe(0);
  });

  it('refuses a tampered weight file by its digest, a file that is not a zip, a shipped model, and a transform that does not fit the network', async () => {
    const good = packOwnModel(TOPOLOGY, weights(), TRANSFORM, {});
    const entries = unzipSync(good);
    const tampered = Uint8Array.from(entries['weights.bin']!);
    tampered[100]! ^= 1;
    await expect(openOwnModel(zipSync({ ...entries, 'weights.bin': tampered }), 'x.zip')).rejects.toThrow(/does not match its SHA-256 digest/);
    await expect(openOwnModel(strToU8('not a zip at all'), 'notes.zip')).rejects.toThrow(/"notes.zip" is not a restorer file/);
    await expect(openOwnModel(zipSync({ 'weights.bin': entries['weights.bin']! }), 'half.zip')).rejects.toThrow(/has no model.json/);
    const manifest = JSON.parse(new TextDecoder().decode(entries['model.json']));
    const shipped = zipSync({ ...entries, 'model.json': strToU8(JSON.stringify({ ...manifest, degradation: { id: 'blur', T: 12 } })) });
    await expect(openOwnModel(shipped, 'blur.zip')).rejects.toThrow(/a model for "blur", not for a transform of your own/);
    const otherT = zipSync({ ...entries, 'model.json': strToU8(JSON.stringify({ ...manifest, degradation: { id: 'own', T: 12, transform: '20~darken.l.40' } })) });
    await expect(openOwnModel(otherT, 't.zip')).rejects.toThrow(/trained for T = 12, but its transform has T = 20/);
    const hostile = zipSync({ ...entries, 'model.json': strToU8(JSON.stringify({ ...manifest, degradation: { id: 'own', T: 12, transform: '12~kettle.l.1' } })) });
    await expect(openOwnModel(hostile, 'h.zip')).rejects.toThrow(/cannot read as it is/);
  });

  it('opens the file that the offline training writes (training/own_model_file.py) and computes what PyTorch computed with it', async () => {
    const dir = join(PARITY_DIR, 'own-file');
    const fx = readJson<{ transform: string; input: EncodedTensor; predict: Record<string, EncodedTensor>; samplers: { start: number; x_start: EncodedTensor } & Record<'direct' | 'naive' | 'improved', EncodedTensor> }>(join(dir, 'outputs.json'));
    const { loaded, info } = await openOwnModel(new Uint8Array(readFileSync(join(dir, 'restorer.zip'))), 'restorer.zip');
    expect(info).toMatchObject({ transform: fx.transform, training: { recipe: 'offline' } });
    const R = (x: tf.Tensor4D, t: number) => loaded.unet.predict(x, t);
    const x = decodeTensor(fx.input);
    let worst = 0;
    for (const [t, want] of Object.entries(fx.predict)) worst = Math.max(worst, maxAbsDiff(R(x, Number(t)), decodeTensor(want)));
    const D = new OwnDegradation(parseTransform(fx.transform).transform, 0);
    const { start } = fx.samplers;
    const xs = decodeTensor(fx.samplers.x_start);
    expect(maxAbsDiff(D.apply(x, start), xs)).toBeLessThan(1e-4);
    worst = Math.max(worst, maxAbsDiff(directSampler(R, xs, start), decodeTensor(fx.samplers.direct)));
    for (const kind of ['naive', 'improved'] as const) worst = Math.max(worst, maxAbsDiff(runToEnd(D, R, xs, start, kind), decodeTensor(fx.samplers[kind])));
    console.log(`offline restorer file: max |TS − PyTorch| = ${worst.toExponential(2)} over R at 3 steps and the three samplers`);
    expect(worst).toBeLessThan(1e-4);
  });
});
