import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { BlurDegradation } from './degradations/blur';
import { NoiseDegradation } from './degradations/noise';
import { directSampler, disposeParts, jointSampler, runToEnd, stepPair, type Restorer } from './samplers';
import { stepSchedule } from './stepSchedule';
import { maxAbsDiff, useCpuBackend } from './testing/fixtures';

beforeAll(useCpuBackend);

const D = new BlurDegradation();

function image(seed: number): tf.Tensor4D {
  return tf.randomUniform([1, 24, 24, 3], -1, 1, 'float32', seed) as tf.Tensor4D;
}

describe('samplers with an oracle restorer (R returns the true x0)', () => {
  for (const start of [1, 2, 7, 20, 40]) {
    it(`naive and improved both return x0 exactly from t = ${start}`, () => {
      const x0 = image(start);
      const oracle: Restorer = () => tf.clone(x0);
      const xs = D.apply(x0, start);
      expect(maxAbsDiff(runToEnd(D, oracle, xs, start, 'naive'), x0)).toBeLessThan(1e-5);
      expect(maxAbsDiff(runToEnd(D, oracle, xs, start, 'improved'), x0)).toBeLessThan(1e-5);
      expect(maxAbsDiff(directSampler(oracle, xs, start), x0)).toBe(0);
    });
  }
});

describe('update rules, exactly as the paper writes them', () => {
  // A deliberately wrong restorer (a fixed other image) separates the two rules.
  const x0 = image(1);
  const other = image(2);
  const wrong: Restorer = () => tf.clone(other);

  it('naive: x_{s-1} = D(x̂0, s-1)', () => {
    const xs = D.apply(x0, 5);
    const frames = [...jointSampler(D, wrong, xs, 5, ['naive'])];
    expect(maxAbsDiff(frames[1]!.chains.naive.xt, D.apply(other, 4))).toBeLessThan(1e-6);
  });

  it('improved: x_{s-1} = x_s - D(x̂0, s) + D(x̂0, s-1)', () => {
    const xs = D.apply(x0, 5);
    const frames = [...jointSampler(D, wrong, xs, 5, ['improved'])];
    const expected = tf.add<tf.Tensor4D>(tf.sub(xs, D.apply(other, 5)), D.apply(other, 4));
    expect(maxAbsDiff(frames[1]!.chains.improved.xt, expected)).toBeLessThan(1e-6);
    // At s = 1: x_0 = x_1 - D(x̂0, 1) + x̂0.
    const x1 = frames[4]!.chains.improved.xt;
    expect(maxAbsDiff(frames[5]!.chains.improved.xt, tf.add(tf.sub(x1, D.apply(other, 1)), other))).toBeLessThan(1e-6);
  });
});

describe('jointSampler', () => {
  it('yields start + 1 frames with t counting down, frame 0 being the degraded input', () => {
    const xs = D.apply(image(3), 6);
    const frames = [...jointSampler(D, (x) => tf.clone(x), xs, 6, ['naive', 'improved'])];
    expect(frames.map((f) => f.t)).toEqual([6, 5, 4, 3, 2, 1, 0]);
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(frames[0]!.chains.naive.x0).toBeNull();
    expect(maxAbsDiff(frames[0]!.chains.improved.xt, xs)).toBe(0);
  });

  it('calls the restorer once per step with both chains in one batch', () => {
    const xs = D.apply(image(4), 4);
    const batches: number[] = [];
    const R: Restorer = (x, t) => {
      batches.push(x.shape[0] * 100 + t);
      return tf.clone(x);
    };
    for (const f of jointSampler(D, R, xs, 4, ['naive', 'improved'])) void f;
    expect(batches).toEqual([204, 203, 202, 201]);
  });

  it('gives each chain the same result as running it alone', () => {
    const xs = D.apply(image(5), 5);
    const R: Restorer = (x, t) => tf.tidy(() => tf.clipByValue(tf.mul<tf.Tensor4D>(x, 1 + 0.01 * t), -1, 1));
    const joint = [...jointSampler(D, R, xs, 5, ['naive', 'improved'])].at(-1)!;
    expect(maxAbsDiff(joint.chains.naive.xt, runToEnd(D, R, xs, 5, 'naive'))).toBeLessThan(1e-6);
    expect(maxAbsDiff(joint.chains.improved.xt, runToEnd(D, R, xs, 5, 'improved'))).toBeLessThan(1e-6);
  });

  it('does not leak tensors when the consumer stops early', () => {
    const xs = D.apply(image(6), 8);
    const before = tf.memory().numTensors;
    for (const f of jointSampler(D, (x) => tf.clone(x), xs, 8, ['naive', 'improved'])) {
      for (const chain of [f.chains.naive, f.chains.improved]) {
        chain.xt.dispose();
        disposeParts(chain);
      }
      if (f.index === 3) break;
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects a start step outside 0..T', () => {
    expect(() => [...jointSampler(D, (x) => tf.clone(x), image(1), 41, ['naive'])]).toThrow(RangeError);
  });
});

describe('fewer steps than levels (steps = n: t → … → 0 in n jumps, stepSchedule)', () => {
  const start = 12;

  it('with the oracle both samplers return x0 exactly for every n, also where D has its own stepPair (noise)', () => {
    const x0 = image(7);
    const oracle: Restorer = () => tf.clone(x0);
    for (const degradation of [D, new NoiseDegradation(3)]) {
      const xs = degradation.apply(x0, start);
      for (let n = 1; n <= start; n++) {
        expect(maxAbsDiff(runToEnd(degradation, oracle, xs, start, 'naive', n), x0), `${degradation.id} naive n=${n}`).toBeLessThan(1e-5);
        expect(maxAbsDiff(runToEnd(degradation, oracle, xs, start, 'improved', n), x0), `${degradation.id} improved n=${n}`).toBeLessThan(1e-5);
      }
    }
  });

  it('visits the schedule’s levels, one restorer call per step, at the level it jumps from', () => {
    const xs = D.apply(image(8), start);
    const calledAt: number[] = [];
    const R: Restorer = (x, t) => {
      calledAt.push(t);
      return tf.clone(x);
    };
    const frames = [...jointSampler(D, R, xs, start, ['naive', 'improved'], 4)];
    expect(frames.map((f) => f.t)).toEqual(stepSchedule(start, 4));
    expect(frames.map((f) => f.index)).toEqual([0, 1, 2, 3, 4]);
    expect(calledAt).toEqual(stepSchedule(start, 4).slice(0, -1));
  });

  it('with one step naive sampling is direct: D(R(x_t, t), 0) = R(x_t, t)', () => {
    const xs = D.apply(image(9), start);
    const R: Restorer = (x, t) => tf.tidy(() => tf.clipByValue(tf.add<tf.Tensor4D>(tf.mul(x, 1.3), 0.01 * t), -1, 1));
    expect(maxAbsDiff(runToEnd(D, R, xs, start, 'naive', 1), directSampler(R, xs, start))).toBe(0);
    // Improved keeps the residual x_t − D(x̂0, t), so it differs from direct with this imperfect restorer.
    expect(maxAbsDiff(runToEnd(D, R, xs, start, 'improved', 1), directSampler(R, xs, start))).toBeGreaterThan(1e-3);
  });

  it('a jump s → s′ applies the rules with D(x̂0, s′): improved is x_s − D(x̂0, s) + D(x̂0, s′)', () => {
    const x0 = image(10);
    const other = image(11);
    const xs = D.apply(x0, start);
    const [, after] = [...jointSampler(D, (x) => tf.tile(other, [x.shape[0], 1, 1, 1]), xs, start, ['naive', 'improved'], 3)];
    expect(maxAbsDiff(after!.chains.naive.xt, D.apply(other, 8))).toBeLessThan(1e-6);
    expect(maxAbsDiff(after!.chains.improved.xt, tf.add(tf.sub(xs, D.apply(other, start)), D.apply(other, 8)))).toBeLessThan(1e-6);
  });

  it('noise’s own stepPair for a jump re-mixes at the target level: consistent with its estimate, it is D(x̂0, s′)', () => {
    const noise = new NoiseDegradation(5);
    const estimate = image(12);
    // x_s made from the estimate itself: ẑ is then the seed's noise, and the pair must be D at both levels.
    const xs = noise.apply(estimate, 30);
    for (const next of [29, 17, 0]) {
      const [atS, atNext] = stepPair(noise, xs, estimate, 30, next);
      expect(maxAbsDiff(atS, xs), `s=30 next=${next}`).toBeLessThan(1e-4);
      expect(maxAbsDiff(atNext, noise.apply(estimate, next)), `s=30 next=${next}`).toBeLessThan(1e-4);
    }
    expect(() => stepPair(noise, xs, estimate, 30, 30)).toThrow(RangeError);
  });

  it('refuses a step count outside 1..t', () => {
    expect(() => [...jointSampler(D, (x) => tf.clone(x), image(1), 5, ['naive'], 6)]).toThrow(RangeError);
    expect(() => [...jointSampler(D, (x) => tf.clone(x), image(1), 5, ['naive'], 0)]).toThrow(RangeError);
  });
});
