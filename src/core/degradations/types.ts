import type * as tf from '@tensorflow/tfjs-core';
import type { DegradationInfo } from './catalog';

export type { DegradationInfo } from './catalog';

/**
 * The forward operator D(x0, t) of cold diffusion. Deterministic for a given instance
 * (degradations with randomness take their seed at construction), D(x, 0) = x.
 */
export interface Degradation extends DegradationInfo {
  /**
   * x: [batch, height, width, 3] in [-1, 1]; t: integer in 0..T, the same for the whole
   * batch (the samplers always advance every chain in lock-step). Returns a new tensor;
   * the caller owns it.
   */
  apply(x: tf.Tensor4D, t: number): tf.Tensor4D;
  /**
   * D(x̂0, s) and D(x̂0, next) for a step s → next (next < s: s − 1, or lower when the sampler takes
   * fewer steps) as a sampler may compute them, knowing x_s, s, x̂0 and D only (anything drawn
   * from the seed that D itself needs is part of D). Absent: apply() twice.
   * Gaussian noise needs it: the noise that made x_t is unknown to a user of the method, so the
   * samplers re-noise with the estimate ε̂ from x_s and x̂0 (noise.ts). Returns new tensors.
   */
  stepPair?(xs: tf.Tensor4D, x0: tf.Tensor4D, s: number, next: number): [tf.Tensor4D, tf.Tensor4D];
}

export function checkStep(degradation: DegradationInfo, t: number): void {
  if (!Number.isInteger(t) || t < 0 || t > degradation.T) {
    throw new RangeError(`${degradation.id}: step t must be an integer in 0..${degradation.T}, got ${t}`);
  }
}

/**
 * An operator whose metadata (id, label, T, seeded…) is its catalog entry: catalog.ts is the only
 * place it is written, so the picker, the link and the operator cannot disagree.
 */
export abstract class CatalogDegradation implements Degradation {
  readonly id: string;
  readonly label: string;
  readonly description: string;
  readonly T: number;
  readonly seeded: boolean;

  constructor(readonly info: DegradationInfo) {
    ({ id: this.id, label: this.label, description: this.description, T: this.T, seeded: this.seeded } = info);
  }

  strengthLabel(t: number): string {
    return this.info.strengthLabel(t);
  }

  abstract apply(x: tf.Tensor4D, t: number): tf.Tensor4D;
}
