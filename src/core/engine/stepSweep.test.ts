import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BlurDegradation } from '../degradations/blur';
import { EXACT_DB, psnr, sharpness } from '../metrics';
import { directSampler, runToEnd, type Restorer } from '../samplers';
import { useCpuBackend } from '../testing/fixtures';
import { stepSweep, sweepCalls, sweepStepCounts, type StepSweep, type SweepProgress } from './stepSweep';

beforeAll(useCpuBackend);

const D = new BlurDegradation();
const SIZE = 16;
const picture = () => tf.randomUniform([1, SIZE, SIZE, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
const asImage = (x: tf.Tensor4D) => ({ data: x.dataSync<'float32'>(), width: SIZE, height: SIZE });

/** A restorer that gets part of the way back: x̂0 = 0.7·x0 + 0.3·x_s. */
const partway =
  (x0: tf.Tensor4D): Restorer =>
  (x) =>
    tf.tidy(() => tf.add<tf.Tensor4D>(tf.mul(tf.tile(x0, [x.shape[0], 1, 1, 1]), 0.7), tf.mul(x, 0.3)));

async function sweepToEnd(R: Restorer, x0: tf.Tensor4D, t: number): Promise<{ result: StepSweep; progress: SweepProgress[] }> {
  const xs = D.apply(x0, t);
  const progress: SweepProgress[] = [];
  const steps = stepSweep(D, R, xs, t, asImage(x0));
  for (;;) {
    const next = await steps.next();
    if (next.done) {
      xs.dispose();
      return { result: next.value!, progress };
    }
    progress.push(next.value);
  }
}

describe('sweepStepCounts', () => {
  it('doubles from 1 and always ends at t', () => {
    expect(sweepStepCounts(40)).toEqual([1, 2, 4, 8, 16, 32, 40]);
    expect(sweepStepCounts(32)).toEqual([1, 2, 4, 8, 16, 32]);
    expect(sweepStepCounts(3)).toEqual([1, 2, 3]);
    expect(sweepStepCounts(1)).toEqual([1]);
    expect(sweepCalls(6)).toBe(1 + 1 + 2 + 4 + 6);
  });
});

describe('stepSweep', () => {
  it('measures each sampler’s final image for every count, as running the samplers with that many steps does', async () => {
    const x0 = picture();
    const R = partway(x0);
    const t = 6;
    const { result, progress } = await sweepToEnd(R, x0, t);
    expect(result.t).toBe(t);
    expect(result.points.map((p) => p.steps)).toEqual([1, 2, 4, 6]);
    const xs = D.apply(x0, t);
    const direct = directSampler(R, xs, t);
    for (const point of result.points) {
      expect(point.psnr.direct).toBeCloseTo(psnr(asImage(direct), asImage(x0)), 4);
      expect(point.sharpness.direct).toBeCloseTo(sharpness(asImage(direct), asImage(x0)), 4);
      for (const kind of ['naive', 'improved'] as const) {
        const end = runToEnd(D, R, xs, t, kind, point.steps);
        expect(point.psnr[kind], `${kind} n=${point.steps}`).toBeCloseTo(psnr(asImage(end), asImage(x0)), 4);
        expect(point.sharpness[kind], `${kind} n=${point.steps}`).toBeCloseTo(sharpness(asImage(end), asImage(x0)), 4);
      }
    }
    // One step of naive sampling is direct; the counts differ, so the results do too.
    expect(result.points[0]!.psnr.naive).toBeCloseTo(result.points[0]!.psnr.direct, 6);
    expect(new Set(result.points.map((p) => p.psnr.improved.toFixed(3))).size).toBe(4);
    expect(progress.map((p) => p.done)).toEqual(Array.from({ length: sweepCalls(t) }, (_, i) => i + 1));
    expect(progress.every((p) => p.total === sweepCalls(t))).toBe(true);
  });

  it('with the oracle every sampler is exact for every count', async () => {
    const x0 = picture();
    const { result } = await sweepToEnd((x) => tf.tile(x0, [x.shape[0], 1, 1, 1]), x0, 5);
    expect(result.points).toHaveLength(4);
    for (const point of result.points) for (const v of Object.values(point.psnr)) expect(v).toBeGreaterThanOrEqual(EXACT_DB);
  });

  it('leaves no tensors behind, finished or stopped half way', async () => {
    const x0 = picture();
    const R = partway(x0);
    const before = tf.memory().numTensors;
    await sweepToEnd(R, x0, 5);
    expect(tf.memory().numTensors).toBe(before);
    const xs = D.apply(x0, 5);
    const steps = stepSweep(D, R, xs, 5, asImage(x0));
    for (let i = 0; i < 4; i++) await steps.next();
    await steps.return(null);
    xs.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});
