import { describe, expect, it } from 'vitest';
import { CATALOG, createDegradation, DEGRADATION_IDS, type MixPool } from './index';
import { GENERATORS } from './catalog';

const pool: MixPool = { size: 4, pictures: [{ id: 'p', title: 'p', author: 'a', licence: 'CC0', package: 'x' }], pixels: new Uint8Array(4 * 4 * 3) } as unknown as MixPool;

describe('the catalog is the only place a degradation is described', () => {
  it('every operator reports its catalog entry: id, label, description, T, seeded, strength', () => {
    for (const id of DEGRADATION_IDS) {
      const info = CATALOG[id];
      const D = createDegradation(id, { seed: 3, pool });
      expect({ id: D.id, label: D.label, description: D.description, T: D.T, seeded: D.seeded }).toEqual({ id, label: info.label, description: info.description, T: info.T, seeded: info.seeded });
      for (const t of [0, 1, info.T >> 1, info.T]) expect(D.strengthLabel(t)).toBe(info.strengthLabel(t));
    }
  });

  it("each generator's operator reports its entry", () => {
    for (const g of Object.values(GENERATORS)) {
      const D = createDegradation(g.degradationId);
      expect({ id: D.id, T: D.T, seeded: D.seeded, end: D.strengthLabel(D.T) }).toEqual({ id: g.degradationId, T: g.schedule.T, seeded: false, end: 'flat colour' });
    }
  });
});
