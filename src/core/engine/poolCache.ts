import { loadMixPool, poolIndex, type MixPool } from '../degradations';
import { degradationInfo } from '../degradations/catalog';
import type { FileSource } from '../model/loader';
import type { MixedIn, RunSettings } from './types';

/** Pictures that degradations mix in, by degradation id: plain data, kept across backends; a failed load is dropped. */
export class PoolCache {
  private pools = new Map<string, Promise<MixPool>>();

  constructor(private readonly source: (id: string) => FileSource) {}

  /** The pool `degradation` mixes in (loaded once, with its digest checked); null when it mixes in none. */
  get(degradation: RunSettings['degradation']): Promise<MixPool> | null {
    if (!degradationInfo(degradation).mixesPicture) return null;
    let loading = this.pools.get(degradation);
    if (!loading) {
      const started: Promise<MixPool> = loadMixPool(this.source(degradation));
      loading = started;
      this.pools.set(degradation, started);
      started.catch(() => this.pools.get(degradation) === started && this.pools.delete(degradation));
    }
    return loading;
  }
}

/** Which picture of the pool the seed mixes in, as the page shows it. */
export function mixedIn(pool: MixPool, seed: number): MixedIn {
  const index = poolIndex(pool, seed);
  const n = pool.size * pool.size;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    rgba.set(pool.pixels.subarray((index * n + i) * 3, (index * n + i) * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return { picture: pool.pictures[index]!, index, count: pool.pictures.length, pixels: { width: pool.size, height: pool.size, rgba } };
}
