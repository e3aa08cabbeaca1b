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
