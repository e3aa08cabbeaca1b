import * as tf from '@tensorflow/tfjs-core';
import './registerGradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, useCpuBackend } from '../testing/fixtures';
import { maskPreset, type OwnTransform } from './ownTransform';
import { OwnTrainer, TRAINING_RECIPES, weightShapes, type TrainingRecipe } from './trainer';

/** A gallery picture, shrunk 4× by block means to 32×32 ([-1, 1]), so a test trains in seconds. */
function galleryPicture(name: string): tf.Tensor3D {
  const png = PNG.sync.read(readFileSync(join(REPO_ROOT, 'public', 'samples', `${name}.png`)));
  return tf.tidy(() => {
    const rgb = tf.slice(tf.tensor3d(Uint8Array.from(png.data), [png.height, png.width, 4], 'int32'), [0, 0, 0], [png.height, png.width, 3]);
    const small = tf.avgPool(tf.cast(tf.expandDims(rgb, 0), 'float32') as tf.Tensor4D, 4, 4, 'valid');
    return tf.sub(tf.div(tf.squeeze(small, [0]), 127.5), 1) as tf.Tensor3D;
  });
}

const TINY: TrainingRecipe = { channels: [8, 16], embedDim: 8, timeDim: 16, spaceToDepth: 1, crop: 16, batch: 4, learningRate: 3e-3, ema: 0.9, seed: 5 };
const BLUR_AND_MASK: OwnTransform = {
  T: 10,
  blocks: [
    { kind: 'gauss', curve: 'linear', values: [3, 1, 45] },
    { kind: 'mask', curve: 'linear', values: [0x808080, 0] },
  ],
  mask: maskPreset('circle'),
};

describe('OwnTrainer', () => {
  let pictures: tf.Tensor3D[];
  beforeAll(async () => {
    await useCpuBackend();
    pictures = ['kite', 'forest', 'cups'].map(galleryPicture);
  });

  it('pairs each crop with the same crop of D applied to the whole picture when a block is laid out over it (the mask), to the crop otherwise', () => {
    // A picture whose red and green tell each pixel's row and column, so a crop tells where it came from and whether it was flipped.
    const side = 48;
    const picture = tf.tidy(() => {
      const row = tf.tile(tf.reshape(tf.linspace(-1, 1, side), [side, 1, 1]), [1, side, 1]);
      const column = tf.tile(tf.reshape(tf.linspace(-1, 1, side), [1, side, 1]), [side, 1, 1]);
      return tf.concat([row, column, tf.zeros([side, side, 1])], 2) as tf.Tensor3D;
    });
    const index = (v: number) => Math.round(((v + 1) / 2) * (side - 1));
    const maskOnly: OwnTransform = { T: 10, blocks: [{ kind: 'mask', curve: 'linear', values: [0x808080, 0] }], mask: maskPreset('circle') };
    const blurOnly: OwnTransform = { T: 10, blocks: [{ kind: 'gauss', curve: 'linear', values: [3, 1, 45] }], mask: maskPreset('circle') };
    for (const [transform, whole] of [[maskOnly, true], [blurOnly, false]] as const) {
      const trainer = new OwnTrainer(transform, [picture], TINY);
      for (let n = 0; n < 3; n++) {
        const { x0, xt, t } = trainer.batchOf(n);
        const crops = x0.arraySync();
        crops.forEach((crop, i) => {
          const flipped = crop[0]![1]![1]! < crop[0]![0]![1]!;
          const y = index(crop[0]![0]![0]!);
          const x = flipped ? side - 1 - index(crop[0]![0]![1]!) : index(crop[0]![0]![1]!);
          const expected = tf.tidy(() => {
            const source = tf.expandDims<tf.Tensor4D>(flipped ? tf.reverse(picture, 1) : picture, 0);
            const window = (image: tf.Tensor4D) => tf.slice(image, [0, y, x, 0], [1, TINY.crop, TINY.crop, 3]);
            return whole ? window(trainer.degradation.apply(source, t)) : trainer.degradation.apply(window(source), t);
          });
          const got = tf.slice(xt, [i, 0, 0, 0], [1, -1, -1, -1]);
          expect(tf.max(tf.abs(tf.sub(got, expected))).dataSync()[0]).toBeLessThan(1e-5);
          tf.dispose([got, expected]);
        });
        tf.dispose([x0, xt]);
      }
      trainer.dispose();
    }
    picture.dispose();
  });

  it("names every weight as unet.ts reads it: the shipped blur model's list for its topology", () => {
    const manifest = JSON.parse(readFileSync(join(REPO_ROOT, 'public', 'models', 'blur', 'model.json'), 'utf8')) as {
      modelTopology: Parameters<typeof weightShapes>[0];
      weightsManifest: { weights: { name: string; shape: number[] }[] }[];
    };
    const shipped = manifest.weightsManifest.flatMap((g) => g.weights.map((w) => [w.name, w.shape]));
    expect(new Map(weightShapes(manifest.modelTopology))).toEqual(new Map(shipped as [string, number[]][]));
  });

  it('on WASM, a fixed-seed training of a tiny network lowers the L1 loss on a picture never trained on; the same seed gives the same losses', async () => {
    await tf.setBackend('wasm');
    const transform: OwnTransform = { T: 10, blocks: [{ kind: 'gauss', curve: 'linear', values: [2, 2, 0] }, { kind: 'darken', curve: 'linear', values: [70] }], mask: maskPreset('circle') };
    const trainer = new OwnTrainer(transform, pictures, TINY);
    const heldOut = galleryPicture('goldfish');
    const l1 = (restorer: ReturnType<OwnTrainer['snapshot']> | null) =>
      tf.tidy(() => {
        const x0 = tf.stack([tf.slice(heldOut, [0, 0, 0], [16, 16, 3]), tf.slice(heldOut, [16, 16, 0], [16, 16, 3])]) as tf.Tensor4D;
        const xt = trainer.degradation.apply(x0, 5);
        return tf.mean(tf.abs(tf.sub(restorer ? restorer.predict(xt, 5) : xt, x0))).dataSync()[0]!;
      });
    const before = trainer.snapshot();
    const inputError = l1(null);
    expect(l1(before)).toBeCloseTo(inputError, 5); // zero-initialised output: R starts as the identity
    before.dispose();
    const losses = Array.from({ length: 300 }, () => trainer.step());
    const after = trainer.snapshot();
    const restoredError = l1(after);
    console.log(`held-out L1 at t = 5: input ${inputError.toFixed(4)}, after 300 steps ${restoredError.toFixed(4)}`);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(restoredError).toBeLessThan(0.8 * inputError);
    after.dispose();
    trainer.dispose();
    const again = new OwnTrainer(transform, pictures, TINY);
    expect(Array.from({ length: 5 }, () => again.step())).toEqual(losses.slice(0, 5));
    again.dispose();
    heldOut.dispose();
    await tf.setBackend('cpu');
  }, 120_000);

  it('keeps memory flat on WASM: the tensor count after 10 000 steps equals that after the first', async () => {
    await tf.setBackend('wasm');
    const trainer = new OwnTrainer({ T: 5, blocks: [{ kind: 'noise', curve: 'linear', values: [30] }, { kind: 'pixelate', curve: 'linear', values: [4] }], mask: maskPreset('circle') }, pictures, { ...TINY, channels: [4, 8], batch: 1, crop: 8 });
    trainer.step();
    const base = tf.memory().numTensors;
    for (let i = 0; i < 10_000; i++) trainer.step();
    expect(tf.memory().numTensors).toBe(base);
    trainer.dispose();
    await tf.setBackend('cpu');
  }, 300_000);

  it('refuses pictures smaller than the crop, and the recipes name sizes the network can take', () => {
    expect(() => new OwnTrainer(BLUR_AND_MASK, [tf.zeros([8, 8, 3]) as tf.Tensor3D], TINY)).toThrow(/smaller than the 16-pixel crop/);
    for (const recipe of Object.values(TRAINING_RECIPES)) expect(recipe.crop % (2 ** (recipe.channels.length - 1) * recipe.spaceToDepth)).toBe(0);
  });
});
