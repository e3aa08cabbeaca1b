import { BlurDegradation } from './blur';
import { BlurToFlatDegradation } from './blurToFlat';
import { DecolorizeDegradation } from './decolorize';
import { InpaintDegradation } from './inpaint';
import { NoiseDegradation } from './noise';
import { PixelateDegradation } from './pixelate';
import { SnowDegradation } from './snow';
import { DEGRADATION_IDS, GENERATION, isDegradationId, type DegradationId } from './catalog';
import { isSeed } from './rng';
import type { Degradation } from './types';

export { CATALOG, DEGRADATION_IDS, degradationInfo, isDegradationId, type DegradationId, type DegradationInfo } from './catalog';
export type { Degradation } from './types';

export interface DegradationOptions {
  /** Fixes the randomness of seeded degradations (hole centre, snow layer, noise); others ignore it. */
  seed?: number;
}

/** Every operator, one file each, registered here. */
const FACTORIES: Record<DegradationId, (seed: number) => Degradation> = {
  blur: () => new BlurDegradation(),
  pixelate: () => new PixelateDegradation(),
  inpaint: (seed) => new InpaintDegradation(seed),
  snow: (seed) => new SnowDegradation(seed),
  decolorize: () => new DecolorizeDegradation(),
  noise: (seed) => new NoiseDegradation(seed),
};

/** Any operator a model can be trained for: the picker's, and generation's blur to a flat colour. */
export function createDegradation(id: string, options: DegradationOptions = {}): Degradation {
  if (id === GENERATION.degradationId) return new BlurToFlatDegradation();
  if (!isDegradationId(id)) {
    throw new Error(`Unknown degradation "${id}". Known: ${DEGRADATION_IDS.join(', ')}.`);
  }
  const seed = options.seed ?? 0;
  if (!isSeed(seed)) throw new RangeError(`seed must be an integer in 0..4294967295, got ${seed}`);
  return FACTORIES[id](seed);
}
