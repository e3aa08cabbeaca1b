import { describe, expect, it } from 'vitest';
import { meanScores, type ImageScores, type OutputKind } from './evaluation';

const s = (psnr: number, energy: number, referenceEnergy: number): ImageScores => ({ rmse: 0, psnr, ssim: 0, sharpness: energy / referenceEnergy, energy, referenceEnergy });
const row = (x: ImageScores): Record<OutputKind, ImageScores> => ({ degraded: x, direct: x, naive: x, improved: x });

describe('meanScores', () => {
  it('averages per-image metrics but takes sharpness over the whole set', () => {
    // A near-flat image (energy 1e-6) would make the mean of ratios 500; the set ratio stays sane.
    const m = meanScores([row(s(20, 0.001, 0.000001)), row(s(30, 0.004, 0.01))]);
    expect(m.direct.psnr).toBe(25);
    expect(m.direct.sharpness).toBeCloseTo(0.005 / 0.010001, 6);
  });
});
