import * as tf from '@tensorflow/tfjs-core';
import type { Degradation } from './degradations';

/** R(x_t, t) ≈ x0. Must not dispose its input; returns a tensor the caller owns. */
export type Restorer = (xt: tf.Tensor4D, t: number) => tf.Tensor4D;

/** The iterative samplers of the paper (Direct is one restorer call: see directSampler). */
export type IterativeSamplerKind = 'naive' | 'improved';

/**
 * One update x_s -> x_{s-1} given the estimate x̂0 = R(x_s, s), exactly as in the paper.
 * naive (Algorithm 1):     x_{s-1} = D(x̂0, s-1)
 * improved (Algorithm 2):  x_{s-1} = x_s - D(x̂0, s) + D(x̂0, s-1)
 */
const UPDATES: Record<IterativeSamplerKind, (D: Degradation, xs: tf.Tensor4D, x0: tf.Tensor4D, s: number) => tf.Tensor4D> = {
  naive: (D, _xs, x0, s) => D.apply(x0, s - 1),
  improved: (D, xs, x0, s) => tf.tidy(() => tf.add<tf.Tensor4D>(tf.sub(xs, D.apply(x0, s)), D.apply(x0, s - 1))),
};

export interface ChainFrame {
  /** x_t after this frame's update (at frame 0: the degraded start x_s). */
  xt: tf.Tensor4D;
  /** The estimate x̂0 that produced xt; null at frame 0. */
  x0: tf.Tensor4D | null;
}

export interface SamplerFrame<K extends string = IterativeSamplerKind> {
  /** Frame number: 0 is the start, `start` is the end. */
  index: number;
  /** The step the chains are at after this frame. */
  t: number;
  chains: Record<K, ChainFrame>;
}

/**
 * Runs several iterative samplers side by side from the same start, with one batched
 * restorer call per step for all of them. Yields frame 0 (the start) and then one frame
 * per step down to t = 0. Every tensor in a yielded frame belongs to the consumer.
 */
export function* jointSampler<K extends IterativeSamplerKind>(
  D: Degradation,
  R: Restorer,
  xStart: tf.Tensor4D,
  start: number,
  kinds: readonly K[],
): Generator<SamplerFrame<K>, void, undefined> {
  if (!Number.isInteger(start) || start < 0 || start > D.T) {
    throw new RangeError(`start step must be an integer in 0..${D.T}, got ${start}`);
  }
  if (kinds.length === 0) throw new Error('jointSampler needs at least one sampler');
  let states = kinds.map(() => tf.clone(xStart));
  const frame = (index: number, t: number, estimates: tf.Tensor4D[] | null): SamplerFrame<K> => {
    const chains = {} as Record<K, ChainFrame>;
    kinds.forEach((k, i) => {
      chains[k] = { xt: tf.clone(states[i]!), x0: estimates ? tf.clone(estimates[i]!) : null };
    });
    return { index, t, chains };
  };
  try {
    yield frame(0, start, null);
    for (let s = start; s >= 1; s--) {
      const estimates = tf.tidy(() => {
        const stacked = kinds.length === 1 ? states[0]! : tf.concat4d(states, 0);
        const x0 = R(stacked, s);
        return kinds.length === 1 ? [x0] : tf.split<tf.Tensor4D>(x0, kinds.length, 0);
      });
      const next = kinds.map((k, i) => UPDATES[k](D, states[i]!, estimates[i]!, s));
      tf.dispose(states);
      states = next;
      try {
        yield frame(start - s + 1, s - 1, estimates);
      } finally {
        tf.dispose(estimates);
      }
    }
  } finally {
    tf.dispose(states);
  }
}

/** Direct (the paper's baseline): x̂0 = R(x_s, s), no iteration. Caller owns the result. */
export function directSampler(R: Restorer, xStart: tf.Tensor4D, start: number): tf.Tensor4D {
  return start === 0 ? tf.clone(xStart) : R(xStart, start);
}

/** Runs one iterative sampler to the end; returns x_0 (caller owns it). */
export function runToEnd(D: Degradation, R: Restorer, xStart: tf.Tensor4D, start: number, kind: IterativeSamplerKind): tf.Tensor4D {
  let last: tf.Tensor4D | null = null;
  for (const f of jointSampler(D, R, xStart, start, [kind])) {
    if (last) last.dispose();
    const chain = f.chains[kind];
    last = chain.xt;
    chain.x0?.dispose();
  }
  return last!;
}
