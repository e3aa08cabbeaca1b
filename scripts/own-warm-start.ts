/**
 * What a warm start from a shipped restorer does for your own transform (docs/own-transform.md, "Warm start"):
 * the held-out PSNR at t = T/2 (goldfish, ladybird, kite: never trained on) of input / one call / naive /
 * improved, at step 0 and three times during training, for a network started from a shipped restorer
 * ('blur', 'inpaint') or new ('none': the page's small WASM network). WASM under Node, the page's trainer.
 *   npx tsx scripts/own-warm-start.ts <aniso|iso|eased|scratch|swirl360|…|swirl45> <blur|inpaint|none> [steps 45] [learning rate: the page's] [reports 3]
 * And how narrowly the shipped blur restorer fits: its one call on isotropic blurs of σ 4..7 at t = 10 of 20;
 * and a shipped restorer's one call at t = T/2 of a transform, told each t from 1 to T.
 *   npx tsx scripts/own-warm-start.ts sigmas
 *   npx tsx scripts/own-warm-start.ts scan <transform> [blur|inpaint]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { psnr } from '../src/core/metrics';
import { loadModel } from '../src/core/model/loader';
import { directorySource } from '../src/core/model/nodeSource';
import { UNet } from '../src/core/model/unet';
import { OwnDegradation } from '../src/core/own/ownDegradation';
import { maskPreset, PRESETS, type OwnTransform } from '../src/core/own/ownTransform';
import { OwnTrainer, TRAINING_RECIPES, type TrainingRecipe } from '../src/core/own/trainer';
import { HELD_OUT_SAMPLES } from '../src/core/own/trainingSession';
import { directSampler, runToEnd } from '../src/core/samplers';
import { wideSwirl } from './formerPresets';

const ROOT = join(import.meta.dirname, '..');
const gauss = (values: number[], curve: 'linear' | 'ease-out' = 'linear'): OwnTransform => ({ T: 20, blocks: [{ kind: 'gauss', curve, values }], mask: maskPreset('circle') });
const TRANSFORMS: Record<string, () => OwnTransform> = {
  aniso: () => gauss([6, 1, 30]), // the issue's anisotropic blur
  iso: () => gauss([10, 10, 0]), // σ 5 at t = 10
  eased: () => gauss([8, 8, 0], 'ease-out'), // σ 6 at t = 10, as the shipped blur's own t = 20 of 40
  scratch: () => PRESETS.scratch.transform(),
  // The former swirl preset with its angle (formerPresets.ts): `swirl none 0` is the samplers with R the identity.
  ...Object.fromEntries([360, 180, 90, 45].map((angle) => [`swirl${angle}`, () => wideSwirl(angle)])),
};

function picture(name: string): tf.Tensor3D {
  const png = PNG.sync.read(readFileSync(join(ROOT, 'public', 'samples', `${name}.png`)));
  return tf.tidy(() => tf.sub(tf.div(tf.slice(tf.tensor3d(Uint8Array.from(png.data), [png.height, png.width, 4], 'float32'), [0, 0, 0], [png.height, png.width, 3]), 127.5), 1));
}

await tf.setBackend('wasm');
const heldOut = tf.stack(HELD_OUT_SAMPLES.map(picture)) as tf.Tensor4D;
const [, height, width] = heldOut.shape;
const truth = heldOut.dataSync() as Float32Array;
/** The mean PSNR over the held-out pictures. */
function score(x: tf.Tensor): number {
  const data = x.dataSync() as Float32Array;
  const size = height * width * 3;
  let sum = 0;
  for (let i = 0; i < HELD_OUT_SAMPLES.length; i++) sum += psnr({ data: data.subarray(i * size, (i + 1) * size), width, height }, { data: truth.subarray(i * size, (i + 1) * size), width, height });
  return +(sum / HELD_OUT_SAMPLES.length).toFixed(2);
}

const [which = 'aniso', warm = 'blur', stepsArg = '45', lrArg = String(TRAINING_RECIPES.shipped.learningRate), reportsArg = '3'] = process.argv.slice(2);
if (which === 'sigmas') {
  const shipped = await loadModel(directorySource(join(ROOT, 'public', 'models', 'blur')));
  for (const sigma of [4, 5, 6, 7]) {
    // Built directly, not from a link: the builder's σ stops at 10 at t = T, and this needs 2σ.
    const x = new OwnDegradation(gauss([2 * sigma, 2 * sigma, 0]), 1).apply(heldOut, 10);
    const out = shipped.unet.predict(x, 20); // its t = 20 of T = 40 is t = 10 of 20
    console.log(`isotropic σ ${sigma} at t = 10: input ${score(x)} dB, the shipped blur restorer's one call ${score(out)} dB`);
    tf.dispose([x, out]);
  }
  process.exit(0);
}
if (which === 'scan') {
  // How a shipped restorer's one call at t = T/2 depends on the t it is told: a fine-tuning remaps t within steps.
  const transform = TRANSFORMS[warm]!();
  const id = process.argv[4] ?? 'blur';
  const shipped = await loadModel(directorySource(join(ROOT, 'public', 'models', id)));
  const unet = new UNet({ ...shipped.manifest.modelTopology, T: transform.T }, new Map((await shipped.unet.weightArrays()).map((w) => [w.name, tf.tensor(w.data, w.shape)])));
  const t = Math.floor(transform.T / 2);
  const x = new OwnDegradation(transform, 1).apply(heldOut, t);
  const told = Array.from({ length: transform.T }, (_, i) => i + 1).map((s) => `${s}: ${score(unet.predict(x, s))}`);
  console.log(`${warm} at t = ${t}, input ${score(x)} dB; the shipped ${id} restorer's one call told t = ${told.join(', ')}`);
  process.exit(0);
}
const make = TRANSFORMS[which];
if (!make) throw new Error(`unknown transform "${which}" (choose ${Object.keys(TRANSFORMS).join(', ')}, or sigmas)`);
const transform = make();
const steps = Number(stepsArg);
const train = ['cups', 'dandelion', 'elephants', 'forest', 'raindrops', 'sunflower'].map(picture);
let recipe: TrainingRecipe = TRAINING_RECIPES.small;
let from: ConstructorParameters<typeof OwnTrainer>[3];
if (warm !== 'none') {
  const loaded = await loadModel(directorySource(join(ROOT, 'public', 'models', warm)));
  recipe = { ...TRAINING_RECIPES.shipped, learningRate: Number(lrArg) };
  from = { weights: await loaded.unet.weightArrays(), steps: 0 };
  loaded.unet.dispose();
}
const trainer = new OwnTrainer(transform, train, recipe, from, 'l2');
const degradation = new OwnDegradation(transform, 1);
const t = Math.floor(transform.T / 2);
function evaluate(net: UNet): Record<string, number> {
  return tf.tidy(() => {
    const xs = degradation.apply(heldOut, t);
    const R = (x: tf.Tensor4D, s: number) => net.predict(x, s);
    const out = { input: xs, direct: directSampler(R, xs, t), naive: runToEnd(degradation, R, xs, t, 'naive'), improved: runToEnd(degradation, R, xs, t, 'improved') };
    return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, score(v)]));
  });
}
const report = (label: string) => {
  const snapshot = trainer.snapshot();
  console.log(label, JSON.stringify(evaluate(snapshot)));
  snapshot.dispose();
};
console.log(`${which} from ${warm === 'none' ? 'a new small network' : `the shipped ${warm} restorer (learning rate ${recipe.learningRate})`}, held out at t = ${t}:`);
report('step 0');
const start = performance.now();
for (let i = 1; i <= steps; i++) {
  trainer.step();
  if (i % Math.max(1, Math.floor(steps / Number(reportsArg))) === 0) {
    const seconds = (performance.now() - start) / 1000;
    report(`step ${i}, ${seconds.toFixed(0)} s (${(i / seconds).toFixed(2)} steps/s)`);
  }
}
