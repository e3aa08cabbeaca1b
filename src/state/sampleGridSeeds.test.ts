import { describe, expect, it } from 'vitest';
import { MAX_SEED } from '../core/degradations/rng';
import { GRID_SIZE, gridKey, gridSeeds } from './sampleGridSeeds';

describe('the grid of generated samples', () => {
  it('shows the block of seeds that holds the current one, so picking a sample keeps the grid', () => {
    expect(gridSeeds(1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(gridSeeds(13)).toEqual([8, 9, 10, 11, 12, 13, 14, 15]);
    for (const seed of [0, 7, 8, 123_456, MAX_SEED]) {
      const seeds = gridSeeds(seed);
      expect(seeds).toHaveLength(GRID_SIZE);
      expect(seeds).toContain(seed);
      expect(Math.max(...seeds)).toBeLessThanOrEqual(MAX_SEED);
      for (const s of seeds) expect(gridKey({ dataset: 'faces', colour: '', sigma: 0.002, seed: s })).toBe(gridKey({ dataset: 'faces', colour: '', sigma: 0.002, seed }));
    }
  });

  it('changes with the data set, the colour, the noise and the block', () => {
    const base = { dataset: 'faces', colour: '', sigma: 0.002, seed: 1 } as const;
    const keys = [base, { ...base, dataset: 'garments' as const }, { ...base, colour: 'ffd5dc' }, { ...base, sigma: 0 }, { ...base, seed: 9 }].map(gridKey);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
