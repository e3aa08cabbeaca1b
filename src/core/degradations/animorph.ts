import { CATALOG } from './catalog';
import { CosineMixDegradation } from './cosineMix';
import { poolField, type MixPool } from './mixPool';

/**
 * Animorphosis: the image turns into another picture, z = picture seed mod N of the pool
 * (mixPool.ts), on the noise's cosine schedule. Mirror of training/animorph.py. Like the noise, z
 * only makes x_t: the samplers estimate it (cosineMix.ts), as the authors' demixing code does.
 */
export class AnimorphDegradation extends CosineMixDegradation {
  constructor(
    readonly pool: MixPool,
    seed = 0,
  ) {
    super(CATALOG.animorph, seed);
  }

  protected makeField(height: number, width: number, channels: number): Float32Array {
    if (channels !== 3) throw new RangeError(`animorph: pictures have 3 channels, the image ${channels}`);
    return poolField(this.pool, this.seed, height, width);
  }
}
