/**
 * Evaluates a degradation's shipped model on every image of a folder, under Node, with the
 * same src/core code the browser runs. Images are centre-cropped and resized (area
 * average) to 128×128.
 *
 *   npm run eval -- --degradation blur --t 20 --images DIR [--json] [--backend wasm|cpu] [--model DIR]
 *
 * Held-out images to use: `/usr/bin/python3 training/data.py --held-out-dir DIR` writes the
 * 128×128 evaluation images of the model card (pictures never trained on).
 * Seeded degradations (inpaint, snow, noise, animorph): the k-th image in name order gets seed
 * k + --seed (default 0), as in training/evaluate.py, so the numbers are comparable.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { parseArgs } from 'node:util';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { createDegradation, isDegradationId } from '../src/core/degradations';
import { evaluateImage, meanScores, OUTPUTS, type ImageScores, type OutputKind } from '../src/core/evaluation';
import { centreSquare, resizeArea, rgbaToTensor, WORKING_SIZE } from '../src/core/image';
import { loadModel } from '../src/core/model/loader';
import { directorySource, poolFromDirectory } from '../src/core/model/nodeSource';

function usage(message: string): never {
  console.error(`${message}\nusage: npm run eval -- --degradation <id> --t <k> --images <dir> [--json] [--backend wasm|cpu] [--model <dir>] [--seed <k>]`);
  process.exit(2);
}

const args = (() => {
  try {
    return parseArgs({
      options: {
        degradation: { type: 'string' },
        t: { type: 'string' },
        images: { type: 'string' },
        json: { type: 'boolean', default: false },
        backend: { type: 'string', default: 'wasm' },
        model: { type: 'string' },
        seed: { type: 'string', default: '0' },
      },
    }).values;
  } catch (e) {
    return usage((e as Error).message);
  }
})();

const degradationId = args.degradation ?? usage('missing --degradation');
if (!isDegradationId(degradationId)) usage(`unknown degradation "${degradationId}"`);
const modelsDir = join(import.meta.dirname, '..', 'public', 'models');
const pool = await poolFromDirectory(modelsDir, degradationId);
const D = createDegradation(degradationId, { pool });
const seedBase = Number(args.seed);
if (!Number.isInteger(seedBase) || seedBase < 0) usage('--seed must be a non-negative integer');
const t = Number(args.t ?? usage('missing --t'));
if (!Number.isInteger(t) || t < 1 || t > D.T) usage(`--t must be an integer in 1..${D.T}`);
const dir = args.images ?? usage('missing --images');
const modelDir = args.model ?? join(modelsDir, degradationId);
const backend = args.backend;

function decode(path: string): { rgba: Uint8Array; width: number; height: number } {
  const buf = readFileSync(path);
  const ext = extname(path).toLowerCase();
  if (ext === '.png') {
    const png = PNG.sync.read(buf);
    return { rgba: png.data, width: png.width, height: png.height };
  }
  const img = jpeg.decode(buf, { useTArray: true, formatAsRGBA: true, maxMemoryUsageInMB: 1024 });
  return { rgba: img.data, width: img.width, height: img.height };
}

const files = readdirSync(dir)
  .filter((f) => ['.png', '.jpg', '.jpeg'].includes(extname(f).toLowerCase()))
  .sort();
if (files.length === 0) usage(`no .png/.jpg images in ${dir}`);

await tf.setBackend(backend);
await tf.ready();
const { unet } = await loadModel(directorySource(modelDir));
const R = (x: tf.Tensor4D, s: number) => unet.predict(x, s);
const perImage: Record<OutputKind, ImageScores>[] = [];
for (const f of files) {
  let img;
  try {
    img = decode(join(dir, f));
  } catch (e) {
    console.error(`skipping ${f}: ${(e as Error).message}`);
    continue;
  }
  const rgba = resizeArea(img.rgba, img.width, centreSquare(img.width, img.height), WORKING_SIZE);
  const x0 = rgbaToTensor(rgba, WORKING_SIZE, WORKING_SIZE);
  perImage.push(await evaluateImage(createDegradation(degradationId, { seed: seedBase + perImage.length, pool }), R, x0, t));
  x0.dispose();
  if (!args.json) process.stderr.write(`\r${perImage.length}/${files.length} images`);
}
const results = meanScores(perImage);
if (args.json) {
  console.log(JSON.stringify({ degradation: degradationId, t, images: perImage.length, results }));
} else {
  console.error('');
  console.log(`${degradationId}, t = ${t} of ${D.T}, ${perImage.length} images, backend ${tf.getBackend()}`);
  console.log('output     RMSE     PSNR (dB)  SSIM    sharpness');
  for (const k of OUTPUTS) {
    const r = results[k];
    console.log(`${k.padEnd(10)} ${r.rmse.toFixed(4)}   ${r.psnr.toFixed(2).padStart(6)}     ${r.ssim.toFixed(3)}   ${r.sharpness.toFixed(2)}`);
  }
}
