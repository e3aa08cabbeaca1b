import * as tf from '@tensorflow/tfjs-core';
import type { Degradation } from '../degradations';
import { psnr, sharpness, type ImageData3 } from '../metrics';
import { directSampler, disposeParts, jointSampler, type Restorer } from '../samplers';
import type { RunLoop } from './runLoop';
import { Superseded, type RunQueue } from './runQueue';
import type { RunSettings } from './types';
import { yieldToEvents } from './yieldToEvents';

/**
 * "How many steps?": the final result of each sampler against the number of steps n from t to 0.
 * Direct is one network call whatever n is; naive with n = 1 is direct; every level (n = t) is the paper's sampler.
 */
export const SWEEP_SAMPLERS = ['naive', 'improved', 'direct'] as const;
export type SweepSampler = (typeof SWEEP_SAMPLERS)[number];

export interface SweepPoint {
  steps: number;
  /** Of each sampler's final image against the original, dB (metrics.ts psnr: identical images give 120). */
  psnr: Record<SweepSampler, number>;
  /** Laplacian energy relative to the original's (metrics.ts sharpness): 1 is as sharp as the original, blur falls below. */
  sharpness: Record<SweepSampler, number>;
}

export interface StepSweep {
  /** The start step the counts run up to. */
  t: number;
  points: SweepPoint[];
}

/** How far a sweep has got, in restorer calls (each call advances naive and improved together). */
export interface SweepProgress {
  done: number;
  total: number;
}

/** n = 1, 2, 4, … below t, then t itself (every level). */
export function sweepStepCounts(t: number): number[] {
  if (!Number.isInteger(t) || t < 1) throw new RangeError(`a sweep needs a start step t ≥ 1, got ${t}`);
  const counts: number[] = [];
  for (let n = 1; n < t; n *= 2) counts.push(n);
  return [...counts, t];
}

/** Restorer calls of a sweep: one for direct, then n for each count. */
export const sweepCalls = (t: number) => 1 + sweepStepCounts(t).reduce((sum, n) => sum + n, 0);

/**
 * The sweep as a sequence of restorer calls: yields its progress after each, returns the result.
 * Work happens only inside next(), so a caller can queue each call on its own (the engine) or run
 * them in a row (tests). Does not take over `xStart`; return(null) frees whatever it holds.
 */
export async function* stepSweep(D: Degradation, R: Restorer, xStart: tf.Tensor4D, t: number, original: ImageData3): AsyncGenerator<SweepProgress, StepSweep | null, undefined> {
  const total = sweepCalls(t);
  const size = { width: xStart.shape[2], height: xStart.shape[1] };
  const scoresOf = async (x: tf.Tensor4D) => {
    const image = { data: await x.data<'float32'>(), ...size };
    return { psnr: psnr(image, original), sharpness: sharpness(image, original) };
  };
  const directImage = directSampler(R, xStart, t);
  let direct: { psnr: number; sharpness: number };
  try {
    direct = await scoresOf(directImage);
  } finally {
    directImage.dispose();
  }
  let done = 1;
  yield { done, total };
  const points: SweepPoint[] = [];
  for (const n of sweepStepCounts(t)) {
    const last: Partial<Record<'naive' | 'improved', tf.Tensor4D>> = {};
    try {
      for (const frame of jointSampler(D, R, xStart, t, ['naive', 'improved'], n)) {
        for (const kind of ['naive', 'improved'] as const) {
          last[kind]?.dispose();
          last[kind] = frame.chains[kind].xt;
          disposeParts(frame.chains[kind]);
        }
        if (frame.index === 0) continue;
        done++;
        if (frame.index < n) yield { done, total };
      }
      const naive = await scoresOf(last.naive!);
      const improved = await scoresOf(last.improved!);
      points.push({
        steps: n,
        psnr: { naive: naive.psnr, improved: improved.psnr, direct: direct.psnr },
        sharpness: { naive: naive.sharpness, improved: improved.sharpness, direct: direct.sharpness },
      });
    } finally {
      tf.dispose([last.naive, last.improved].filter((x): x is tf.Tensor4D => x !== undefined));
    }
    yield { done, total };
  }
  return { t, points };
}

/**
 * The sweep for a run's settings on the engine's backend: each restorer call queued on its own, so a
 * run asked for meanwhile waits one call at most. Stops (null) once `wanted` says no (another run,
 * sweep or backend was asked for).
 */
export async function runStepSweep(
  runs: RunQueue,
  loop: RunLoop,
  runId: number,
  settings: RunSettings,
  wanted: () => boolean,
  onProgress: (progress: SweepProgress) => void,
): Promise<StepSweep | null> {
  try {
    const job = await runs.serial(async () => {
      if (!wanted()) return null;
      const start = await loop.startOf(runId, settings);
      if (!start) return null;
      if (!start.original) {
        start.xs.dispose();
        throw new Error('How many steps? compares each result with the original: there is none when generating.');
      }
      try {
        const R = await loop.restorerFor(runId, settings, start);
        const size = { width: start.xs.shape[2], height: start.xs.shape[1] };
        return { xs: start.xs, steps: stepSweep(start.D, R, start.xs, settings.t, { data: start.original.floats, ...size }) };
      } catch (e) {
        start.xs.dispose();
        throw e;
      }
    });
    if (!job) return null;
    try {
      for (;;) {
        const next = await runs.serial(async () => (wanted() ? job.steps.next() : null));
        if (!next) return null;
        if (next.done) return next.value;
        onProgress(next.value);
        // Let a newer request arrive between calls.
        await yieldToEvents();
      }
    } finally {
      await runs.serial(async () => {
        try {
          await job.steps.return(null);
          job.xs.dispose();
        } catch {
          // Its backend may be gone (a switch): its memory went with it.
        }
      });
    }
  } catch (e) {
    if (e instanceof Superseded) return null;
    throw e;
  }
}
