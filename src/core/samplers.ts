import * as tf from '@tensorflow/tfjs-core';
import type { Degradation } from './degradations';
import { stepSchedule } from './stepSchedule';

/** R(x_t, t) ≈ x0. Must not dispose its input; returns a tensor the caller owns. */
export type Restorer = (xt: tf.Tensor4D, t: number) => tf.Tensor4D;

/** The iterative samplers of the paper (Direct is one restorer call: see directSampler). */
export type IterativeSamplerKind = 'naive' | 'improved';

/**
 * One update x_s -> x_{s'} (s' < s: s − 1 when every step is taken) from the estimate's two
 * degradations, exactly as in the paper:
 * naive (Algorithm 1):     x_{s'} = D(x̂0, s')
 * improved (Algorithm 2):  x_{s'} = x_s - D(x̂0, s) + D(x̂0, s')
 */
const UPDATES: Record<IterativeSamplerKind, (xs: tf.Tensor4D, atS: tf.Tensor4D, atPrev: tf.Tensor4D) => tf.Tensor4D> = {
  naive: (_xs, _atS, atPrev) => tf.clone(atPrev),
  improved: (xs, atS, atPrev) => tf.tidy(() => tf.add<tf.Tensor4D>(tf.sub(xs, atS), atPrev)),
};

export interface ChainFrame {
  /** x_t after this frame's update (at frame 0: the degraded start x_s). */
  xt: tf.Tensor4D;
  /** The estimate x̂0 = R(x_s, s) that produced xt; null at frame 0. */
  x0: tf.Tensor4D | null;
  /**
   * D(x̂0, s) and D(x̂0, s') (s' the next level), the very tensors the update used (naive uses only the second;
   * the first is what improved sampling subtracts, shown to explain the difference); null at frame 0.
   */
  atS: tf.Tensor4D | null;
  atPrev: tf.Tensor4D | null;
}

export interface SamplerFrame<K extends string = IterativeSamplerKind> {
  /** Frame number: 0 is the start, the step count is the end. */
  index: number;
  /** The step the chains are at after this frame. */
  t: number;
  chains: Record<K, ChainFrame>;
}

/**
 * Runs several iterative samplers side by side from the same start, with one batched
 * restorer call and one batched D call per level per step for all of them. Yields frame 0
 * (the start) and then one frame per step down to t = 0, in `steps` steps (stepSchedule; every
 * level when omitted). Every tensor in a yielded frame belongs to the consumer.
 */
export function* jointSampler<K extends IterativeSamplerKind>(
  D: Degradation,
  R: Restorer,
  xStart: tf.Tensor4D,
  start: number,
  kinds: readonly K[],
  steps: number = start,
): Generator<SamplerFrame<K>, void, undefined> {
  if (!Number.isInteger(start) || start < 0 || start > D.T) {
    throw new RangeError(`start step must be an integer in 0..${D.T}, got ${start}`);
  }
  if (kinds.length === 0) throw new Error('jointSampler needs at least one sampler');
  const levels = stepSchedule(start, steps);
  let states = kinds.map(() => tf.clone(xStart));
  const split = (x: tf.Tensor4D) => (kinds.length === 1 ? [x] : tf.split<tf.Tensor4D>(x, kinds.length, 0));
  try {
    const chains = {} as Record<K, ChainFrame>;
    kinds.forEach((k, i) => (chains[k] = { xt: tf.clone(states[i]!), x0: null, atS: null, atPrev: null }));
    yield { index: 0, t: start, chains };
    for (let i = 1; i < levels.length; i++) {
      const [s, level] = [levels[i - 1]!, levels[i]!];
      const parts = tf.tidy(() => {
        const xs = kinds.length === 1 ? states[0]! : tf.concat4d(states, 0);
        const x0 = R(xs, s);
        const [atS, atPrev] = stepPair(D, xs, x0, s, level);
        return { x0: split(x0), atS: split(atS), atPrev: split(atPrev) };
      });
      const next = kinds.map((k, i) => UPDATES[k](states[i]!, parts.atS[i]!, parts.atPrev[i]!));
      tf.dispose(states);
      states = next;
      const frame = {} as Record<K, ChainFrame>;
      kinds.forEach((k, i) => (frame[k] = { xt: tf.clone(states[i]!), x0: parts.x0[i]!, atS: parts.atS[i]!, atPrev: parts.atPrev[i]! }));
      yield { index: i, t: level, chains: frame };
    }
  } finally {
    tf.dispose(states);
  }
}

/** D(x̂0, s) and D(x̂0, next) for a step s → next < s, from what a sampler may know (types.ts, stepPair). */
export function stepPair(D: Degradation, xs: tf.Tensor4D, x0: tf.Tensor4D, s: number, next: number = s - 1): [tf.Tensor4D, tf.Tensor4D] {
  if (!Number.isInteger(next) || next < 0 || next >= s) throw new RangeError(`a step goes from s = ${s} to a lower level, got ${next}`);
  return D.stepPair ? D.stepPair(xs, x0, s, next) : [D.apply(x0, s), D.apply(x0, next)];
}

/** Direct (the paper's baseline): x̂0 = R(x_s, s), no iteration. Caller owns the result. */
export function directSampler(R: Restorer, xStart: tf.Tensor4D, start: number): tf.Tensor4D {
  return start === 0 ? tf.clone(xStart) : R(xStart, start);
}

/** Runs one iterative sampler to the end in `steps` steps (every level when omitted); returns x_0 (caller owns it). */
export function runToEnd(D: Degradation, R: Restorer, xStart: tf.Tensor4D, start: number, kind: IterativeSamplerKind, steps: number = start): tf.Tensor4D {
  let last: tf.Tensor4D | null = null;
  for (const f of jointSampler(D, R, xStart, start, [kind], steps)) {
    if (last) last.dispose();
    const chain = f.chains[kind];
    last = chain.xt;
    disposeParts(chain);
  }
  return last!;
}

/** Frees a chain frame's estimate and degradations (not xt). */
export function disposeParts(chain: ChainFrame): void {
  tf.dispose([chain.x0, chain.atS, chain.atPrev].filter((x): x is tf.Tensor4D => x !== null));
}
