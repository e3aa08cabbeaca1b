import * as tf from '@tensorflow/tfjs-core';
import type { Degradation } from './degradations';
import { psnr, rmse, sharpness, ssim, type ImageData3 } from './metrics';
import { directSampler, jointSampler, type Restorer } from './samplers';

export const OUTPUTS = ['degraded', 'direct', 'naive', 'improved'] as const;
export type OutputKind = (typeof OUTPUTS)[number];
export interface Scores {
  rmse: number;
  psnr: number;
  ssim: number;
  sharpness: number;
}

async function asImage(t: tf.Tensor4D): Promise<ImageData3> {
  const [, height, width] = t.shape;
  return { data: (await t.data()) as Float32Array, width, height };
}

function score(x: ImageData3, ref: ImageData3): Scores {
  return { rmse: rmse(x, ref), psnr: psnr(x, ref), ssim: ssim(x, ref), sharpness: sharpness(x, ref) };
}

/** Degraded input, direct, naive and improved outputs from start step t, scored against x0. */
export async function evaluateImage(D: Degradation, R: Restorer, x0: tf.Tensor4D, t: number): Promise<Record<OutputKind, Scores>> {
  const ref = await asImage(x0);
  const xs = D.apply(x0, t);
  const direct = directSampler(R, xs, t);
  let last: Record<'naive' | 'improved', tf.Tensor4D> | null = null;
  for (const f of jointSampler(D, R, xs, t, ['naive', 'improved'] as const)) {
    if (last) tf.dispose([last.naive, last.improved]);
    tf.dispose([f.chains.naive.x0, f.chains.improved.x0].filter((x): x is tf.Tensor4D => x !== null));
    last = { naive: f.chains.naive.xt, improved: f.chains.improved.xt };
  }
  const out = {
    degraded: score(await asImage(xs), ref),
    direct: score(await asImage(direct), ref),
    naive: score(await asImage(last!.naive), ref),
    improved: score(await asImage(last!.improved), ref),
  };
  tf.dispose([xs, direct, last!.naive, last!.improved]);
  return out;
}

export function meanScores(all: Record<OutputKind, Scores>[]): Record<OutputKind, Scores> {
  const mean = (k: OutputKind, m: keyof Scores) => all.reduce((s, r) => s + r[k][m], 0) / all.length;
  return Object.fromEntries(
    OUTPUTS.map((k) => [k, { rmse: mean(k, 'rmse'), psnr: mean(k, 'psnr'), ssim: mean(k, 'ssim'), sharpness: mean(k, 'sharpness') }]),
  ) as Record<OutputKind, Scores>;
}
