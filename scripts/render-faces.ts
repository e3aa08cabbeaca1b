/**
 * Renders the "faces" data set for the generation model: DiceBear's Personas avatars
 * (design by Draftbit, CC BY 4.0; code MIT; npm @dicebear/personas), 64×64 RGB, drawn with
 * resvg. Each picture is a pure function of its seed string, so the set is the same on
 * every machine. Held out: the seeds "test-0" … "test-N", minus any picture that is
 * pixel-identical to a training one (counted in faces.json), never trained on.
 *
 *   npx tsx scripts/render-faces.ts [--train 30000] [--test 2000] [--out training/data/faces]
 *
 * Writes <out>/train.u8 and <out>/test.u8 (N×64×64×3 bytes, row-major RGB) and faces.json.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createAvatar } from '@dicebear/core';
import * as personas from '@dicebear/personas';
import { Resvg } from '@resvg/resvg-js';

export const FACE_SIZE = 64;
/** DiceBear's documented example palette: five pastel backgrounds, one per picture, from the seed. */
export const FACE_BACKGROUNDS = ['b6e3f4', 'c0aede', 'd1d4f9', 'ffd5dc', 'ffdfbf'];

export function renderFace(seed: string): Uint8Array {
  const svg = createAvatar(personas, { seed, size: FACE_SIZE, backgroundColor: FACE_BACKGROUNDS }).toString();
  const rgba = new Resvg(svg, { fitTo: { mode: 'width', value: FACE_SIZE } }).render().pixels;
  const rgb = new Uint8Array(FACE_SIZE * FACE_SIZE * 3);
  for (let i = 0; i < FACE_SIZE * FACE_SIZE; i++) for (let c = 0; c < 3; c++) rgb[i * 3 + c] = rgba[i * 4 + c]!;
  return rgb;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function main() {
  const { values } = parseArgs({ options: { train: { type: 'string', default: '30000' }, test: { type: 'string', default: '2000' }, out: { type: 'string', default: 'training/data/faces' } } });
  const nTrain = Number(values.train), nTest = Number(values.test);
  mkdirSync(values.out, { recursive: true });
  const t0 = Date.now();
  const train = new Uint8Array(nTrain * FACE_SIZE * FACE_SIZE * 3);
  const seen = new Set<string>();
  for (let i = 0; i < nTrain; i++) {
    const face = renderFace(`train-${i}`);
    train.set(face, i * face.length);
    seen.add(sha(face));
  }
  const test: Uint8Array[] = [];
  let droppedAsCopies = 0;
  for (let i = 0; i < nTest; i++) {
    const face = renderFace(`test-${i}`);
    if (seen.has(sha(face))) droppedAsCopies++;
    else test.push(face);
  }
  const testBytes = new Uint8Array(test.length * FACE_SIZE * FACE_SIZE * 3);
  test.forEach((f, i) => testBytes.set(f, i * f.length));
  writeFileSync(join(values.out, 'train.u8'), train);
  writeFileSync(join(values.out, 'test.u8'), testBytes);
  const meta = {
    size: FACE_SIZE, train: nTrain, test: test.length, testDroppedAsCopiesOfTraining: droppedAsCopies,
    distinctTraining: seen.size, style: '@dicebear/personas@9.4.3', backgrounds: FACE_BACKGROUNDS,
    licence: 'design: Personas by Draftbit (CC BY 4.0); code: DiceBear (MIT)', trainDigest: sha(train), testDigest: sha(testBytes),
  };
  writeFileSync(join(values.out, 'faces.json'), JSON.stringify(meta, null, 2) + '\n');
  console.log(`${nTrain} training and ${test.length} held-out faces in ${((Date.now() - t0) / 1000).toFixed(1)} s (${droppedAsCopies} held-out seeds dropped as copies of training pictures; ${seen.size} distinct training pictures)`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
