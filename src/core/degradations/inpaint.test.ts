import { beforeAll, describe, expect, it } from 'vitest';
import { maxAbsDiff, operatorParityError, randomImage, useCpuBackend } from '../testing/fixtures';
import { holeCentre, holeMask, InpaintDegradation } from './inpaint';

beforeAll(useCpuBackend);

describe('InpaintDegradation', () => {
  it('is the identity at t = 0 and zeroes the hole centre from t = 1', () => {
    const D = new InpaintDegradation(5);
    const x = randomImage(32, 32, 1);
    expect(maxAbsDiff(D.apply(x, 0), x)).toBe(0);
    const [cy, cx] = holeCentre(5, 32, 32);
    expect(D.apply(x, 1).arraySync()[0]![cy]![cx]!.map(Math.abs)).toEqual([0, 0, 0]);
  });

  it('grows the hole with t and keeps the mask in [0, 1]', () => {
    let previous = holeMask(9, 64, 64, 0);
    for (const t of [1, 10, 25, 50]) {
      const m = holeMask(9, 64, 64, t);
      m.forEach((v, i) => {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(previous[i]! + 1e-15);
      });
      previous = m;
    }
    expect(previous.filter((v) => v < 0.5).length / previous.length).toBeGreaterThan(0.5);
  });

  it('puts the hole where the seed says, in the middle half', () => {
    const centres = new Set<string>();
    for (let seed = 0; seed < 20; seed++) {
      const [cy, cx] = holeCentre(seed, 128, 128);
      expect(cy).toBeGreaterThanOrEqual(32);
      expect(cy).toBeLessThan(96);
      expect(cx).toBeGreaterThanOrEqual(32);
      expect(cx).toBeLessThan(96);
      centres.add(`${cy},${cx}`);
    }
    expect(centres.size).toBeGreaterThan(15);
    const x = randomImage(32, 32, 2);
    expect(maxAbsDiff(new InpaintDegradation(1).apply(x, 20), new InpaintDegradation(1).apply(x, 20))).toBe(0);
    expect(maxAbsDiff(new InpaintDegradation(1).apply(x, 20), new InpaintDegradation(2).apply(x, 20))).toBeGreaterThan(0.1);
  });

  it('matches the PyTorch operator within 1e-4 (training/inpaint.py fixtures, two seeds)', () => {
    const r = operatorParityError('inpaint', (seed, x, t) => new InpaintDegradation(seed).apply(x, t));
    expect(r.T).toBe(new InpaintDegradation().T);
    expect(r.checked).toBeGreaterThanOrEqual(8);
    expect(r.error).toBeLessThan(1e-4);
  });
});
