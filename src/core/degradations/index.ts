import { AnimorphDegradation } from './animorph';
import { BlurDegradation } from './blur';
import { BlurToFlatDegradation } from './blurToFlat';
import { DecolorizeDegradation } from './decolorize';
import { InpaintDegradation } from './inpaint';
import { NoiseDegradation } from './noise';
import { PixelateDegradation } from './pixelate';
import { SnowDegradation } from './snow';
import { DEGRADATION_IDS, generatorOfDegradation, isDegradationId, type DegradationId } from './catalog';
import type { MixPool } from './mixPool';
import { isSeed } from './rng';
import type { Degradation } from './types';

export { CATALOG, DEGRADATION_IDS, degradationInfo, isDegradationId, type DegradationId, type DegradationInfo } from './catalog';
export type { Degradation } from './types';
export { loadMixPool, poolIndex, type MixPool, type MixPicture } from './mixPool';

export interface DegradationOptions {
  /** Fixes the randomness of seeded degradations (hole centre, snow layer, noise, the mixed-in picture); others ignore it. */
  seed?: number;
  /** The pictures a degradation that mixes one in chooses from (mixPool.ts: loadMixPool); others ignore it. */
  pool?: MixPool;
}

/** Every operator, one file each, registered here. */
const FACTORIES: Record<DegradationId, (seed: number, pool: () => MixPool) => Degradation> = {
  blur: () => new BlurDegradation(),
  pixelate: () => new PixelateDegradation(),
  inpaint: (seed) => new InpaintDegradation(seed),
  snow: (seed) => new SnowDegradation(seed),
  decolorize: () => new DecolorizeDegradation(),
  noise: (seed) => new NoiseDegradation(seed),
  animorph: (seed, pool) => new AnimorphDegradation(pool(), seed),
};

/** Any operator a model can be trained for: the picker's, and generation's blur to a flat colour. */
export function createDegradation(id: string, options: DegradationOptions = {}): Degradation {
  const generator = generatorOfDegradation(id);
  if (generator) return new BlurToFlatDegradation(generator);
  if (!isDegradationId(id)) {
    throw new Error(`Unknown degradation "${id}". Known: ${DEGRADATION_IDS.join(', ')}.`);
  }
  const seed = options.seed ?? 0;
  if (!isSeed(seed)) throw new RangeError(`seed must be an integer in 0..4294967295, got ${seed}`);
  const pool = () => {
    if (!options.pool) throw new Error(`${id} mixes in a picture: load its pool first (loadMixPool)`);
    return options.pool;
  };
  return FACTORIES[id](seed, pool);
}
