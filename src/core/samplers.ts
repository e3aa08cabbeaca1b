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
 * A step of several chains as batches, the rows of each sampler kind in `kinds` order: x_t after the step
 * and x̂0, D(x̂0, s), D(x̂0, s') that produced it (null at frame 0).
 */
export interface BatchedFrame<K extends string = IterativeSamplerKind> {
  index: number;
  t: number;
  kinds: readonly K[];
  xt: tf.Tensor4D;
  x0: tf.Tensor4D | null;
  atS: tf.Tensor4D | null;
  atPrev: tf.Tensor4D | null;
}

/**
 * Runs several iterative samplers side by side from the same start, with one batched restorer call
 * and one batched D call per level per step for all of them, keeping the chains as one batch (no
 * concat or split per step: 2-3 ms of a step on WASM, the step profile). Yields frame 0 (the start)
 * and then one frame per step down to t = 0, in `steps` steps (stepSchedule; every level when
 * omitted). Every tensor in a yielded frame belongs to the consumer.
 */
export function* batchedSampler<K extends IterativeSamplerKind>(
  D: Degradation,
  R: Restorer,
  xStart: tf.Tensor4D,
  start: number,
  kinds: readonly K[],
  steps: number = start,
): Generator<BatchedFrame<K>, void, undefined> {
  if (!Number.isInteger(start) || start < 0 || start > D.T) {
    throw new RangeError(`start step must be an integer in 0..${D.T}, got ${start}`);
  }
  if (kinds.length === 0) throw new Error('the samplers need at least one kind');
  const levels = stepSchedule(start, steps);
  // Which rows take the improved update (the rest, naive's): one mask for the whole run. With a start
  // batch of B pictures, kind k holds rows k·B … k·B + B − 1. At the states' full shape: `where`
  // broadcasts its condition by a Tile at every call, and tfjs-wasm's Tile of a bool cost 6 of a
  // step's 14 ms of operators (tf.profile under Node, 2 × 128×128).
  const [B, height, width, channels] = xStart.shape;
  const improvedRows = tf.tidy(() => tf.tile(tf.tensor4d(kinds.flatMap((k) => Array<number>(B).fill(k === 'improved' ? 1 : 0)), [kinds.length * B, 1, 1, 1], 'bool'), [1, height, width, channels]));
  let states = kinds.length === 1 ? tf.clone(xStart) : (tf.tile(xStart, [kinds.length, 1, 1, 1]) as tf.Tensor4D);
  try {
    yield { index: 0, t: start, kinds, xt: tf.clone(states), x0: null, atS: null, atPrev: null };
    for (let i = 1; i < levels.length; i++) {
      const [s, level] = [levels[i - 1]!, levels[i]!];
      const { x0, atS, atPrev } = tf.tidy(() => {
        const x0 = R(states, s);
        const [atS, atPrev] = stepPair(D, states, x0, s, level);
        return { x0, atS, atPrev };
      });
      const next = tf.tidy(() => tf.where(improvedRows, UPDATES.improved(states, atS, atPrev), UPDATES.naive(states, atS, atPrev))) as tf.Tensor4D;
      states.dispose();
      states = next;
      yield { index: i, t: level, kinds, xt: tf.clone(states), x0, atS, atPrev };
    }
  } finally {
    states.dispose();
    improvedRows.dispose();
  }
}

/**
 * batchedSampler's frames as one frame per chain (for consumers that follow chains one by one:
 * the steps sweep, the evaluations, runToEnd).
 */
export function* jointSampler<K extends IterativeSamplerKind>(
  D: Degradation,
  R: Restorer,
  xStart: tf.Tensor4D,
  start: number,
  kinds: readonly K[],
  steps: number = start,
): Generator<SamplerFrame<K>, void, undefined> {
  const split = (x: tf.Tensor4D): tf.Tensor4D[] => (kinds.length === 1 ? [x] : tf.split<tf.Tensor4D>(x, kinds.length, 0));
  for (const f of batchedSampler(D, R, xStart, start, kinds, steps)) {
    const parts = [f.xt, f.x0, f.atS, f.atPrev].map((x) => (x ? split(x) : null));
    if (kinds.length > 1) tf.dispose([f.xt, f.x0, f.atS, f.atPrev].filter((x): x is tf.Tensor4D => x !== null));
    const chains = {} as Record<K, ChainFrame>;
    kinds.forEach((k, i) => (chains[k] = { xt: parts[0]![i]!, x0: parts[1]?.[i] ?? null, atS: parts[2]?.[i] ?? null, atPrev: parts[3]?.[i] ?? null }));
    yield { index: f.index, t: f.t, chains };
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
