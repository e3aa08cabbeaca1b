import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PARITY_DIR, readJson } from '../testing/fixtures';
import { hashes, normals, uniforms } from './rng';

interface RngFixture {
  cases: { seed: number; stream: number; hashes: number[]; uniforms: number[]; normals: number[] }[];
}

describe('seeded generator', () => {
  it('gives the same values as training/rng.py (hashes exactly, normals to 1e-12)', () => {
    const fx = readJson<RngFixture>(join(PARITY_DIR, 'rng.json'));
    expect(fx.cases.length).toBeGreaterThan(3);
    for (const c of fx.cases) {
      expect(Array.from(hashes(c.seed, c.stream, 8))).toEqual(c.hashes);
      expect(Array.from(uniforms(c.seed, c.stream, 8))).toEqual(c.uniforms);
      normals(c.seed, c.stream, 8).forEach((v, i) => expect(Math.abs(v - c.normals[i]!)).toBeLessThan(1e-12));
    }
  });

  it('draws standard normals and separates seeds and streams', () => {
    const n = normals(99, 3, 20000);
    const mean = n.reduce((a, b) => a + b, 0) / n.length;
    const variance = n.reduce((a, b) => a + (b - mean) ** 2, 0) / n.length;
    expect(Math.abs(mean)).toBeLessThan(0.03);
    expect(Math.abs(variance - 1)).toBeLessThan(0.04);
    expect(Array.from(hashes(1, 1, 4))).not.toEqual(Array.from(hashes(2, 1, 4)));
    expect(Array.from(hashes(1, 1, 4))).not.toEqual(Array.from(hashes(1, 2, 4)));
  });
});
