import * as tf from '@tensorflow/tfjs-core';
import type { Degradation } from './degradations';
import { laplacianEnergy, psnr, rmse, ssim, type ImageData3 } from './metrics';
import { directSampler, disposeParts, jointSampler, type Restorer } from './samplers';

export const OUTPUTS = ['degraded', 'direct', 'naive', 'improved'] as const;
export type OutputKind = (typeof OUTPUTS)[number];
export interface Scores {
  rmse: number;
  psnr: number;
  ssim: number;
  /** Laplacian energy of the output over that of the original (1 is ideal). */
  sharpness: number;
}

/** One image's scores, with the energies a set-level sharpness is made of. */
export interface ImageScores extends Scores {
  energy: number;
  referenceEnergy: number;
}

async function asImage(t: tf.Tensor4D): Promise<ImageData3> {
  const [, height, width] = t.shape;
  return { data: (await t.data()) as Float32Array, width, height };
}

function score(x: ImageData3, ref: ImageData3): ImageScores {
  const energy = laplacianEnergy(x);
  const referenceEnergy = laplacianEnergy(ref);
  return { rmse: rmse(x, ref), psnr: psnr(x, ref), ssim: ssim(x, ref), sharpness: energy / Math.max(referenceEnergy, 1e-12), energy, referenceEnergy };
}

/** Degraded input, direct, naive and improved outputs from start step t, scored against x0. */
export async function evaluateImage(D: Degradation, R: Restorer, x0: tf.Tensor4D, t: number): Promise<Record<OutputKind, ImageScores>> {
  const ref = await asImage(x0);
  const xs = D.apply(x0, t);
  const direct = directSampler(R, xs, t);
  let last: Record<'naive' | 'improved', tf.Tensor4D> | null = null;
  for (const f of jointSampler(D, R, xs, t, ['naive', 'improved'] as const)) {
    if (last) tf.dispose([last.naive, last.improved]);
    disposeParts(f.chains.naive);
    disposeParts(f.chains.improved);
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

/**
 * Means over the images; sharpness of the set is total energy over total reference energy
 * (a mean of per-image ratios would be dominated by near-flat images), as training/evaluate.py.
 */
export function meanScores(all: Record<OutputKind, ImageScores>[]): Record<OutputKind, Scores> {
  const sum = (k: OutputKind, m: keyof ImageScores) => all.reduce((s, r) => s + r[k][m], 0);
  return Object.fromEntries(
    OUTPUTS.map((k) => [
      k,
      { rmse: sum(k, 'rmse') / all.length, psnr: sum(k, 'psnr') / all.length, ssim: sum(k, 'ssim') / all.length, sharpness: sum(k, 'energy') / sum(k, 'referenceEnergy') },
    ]),
  ) as Record<OutputKind, Scores>;
}
