/**
 * The levels a sampler visits from t down to 0 in n steps: s_0 = t > s_1 > … > s_n = 0, the gaps
 * as even as integers allow (each ⌊t/n⌋ or ⌈t/n⌉). n = t is the paper's every step, t, t−1, …, 0.
 */
export function stepSchedule(t: number, n: number): number[] {
  if (!Number.isInteger(t) || t < 0) throw new RangeError(`start step t must be a whole number ≥ 0, got ${t}`);
  // From t = 0 there is nothing to undo: the chain is already at 0.
  if (t === 0) return [0];
  if (!Number.isInteger(n) || n < 1 || n > t) throw new RangeError(`steps must be a whole number in 1..${t}, got ${n}`);
  // Exact in floating point here: both operands are small integers, and an inexact quotient is never within an ulp of an integer.
  return Array.from({ length: n + 1 }, (_, i) => Math.floor((t * (n - i)) / n));
}
