import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

export const REPO_ROOT = join(import.meta.dirname, '..', '..', '..');
export const PARITY_DIR = join(REPO_ROOT, 'fixtures', 'parity');

export interface EncodedTensor {
  shape: number[];
  data: string;
}

export function decodeTensor(e: EncodedTensor): tf.Tensor4D {
  const bytes = Buffer.from(e.data, 'base64');
  const values = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return tf.tensor4d(values, e.shape as [number, number, number, number]);
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T;
}

export async function useCpuBackend(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}

export function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

export interface OperatorFixture {
  T: number;
  cases: { seed?: number; input: EncodedTensor; outputs: Record<string, EncodedTensor> }[];
}

/** Largest |TypeScript − PyTorch| over every case and step of fixtures/parity/<id>.json. */
export function operatorParityError(id: string, apply: (seed: number, x: tf.Tensor4D, t: number) => tf.Tensor4D): { T: number; error: number; checked: number } {
  const fx = readJson<OperatorFixture>(join(PARITY_DIR, `${id}.json`));
  let error = 0;
  let checked = 0;
  for (const c of fx.cases) {
    const x = decodeTensor(c.input);
    for (const [t, expected] of Object.entries(c.outputs)) {
      error = Math.max(error, maxAbsDiff(apply(c.seed ?? 0, x, Number(t)), decodeTensor(expected)));
      checked++;
    }
  }
  return { T: fx.T, error, checked };
}

export function randomImage(height: number, width: number, seed: number): tf.Tensor4D {
  return tf.randomUniform([1, height, width, 3], -1, 1, 'float32', seed) as tf.Tensor4D;
}
