import { describe, expect, it } from 'vitest';
import type { StepSweep, SweepPoint } from '../core/engine/stepSweep';
import { sweepReading } from './sweepReading';

const point = (steps: number, naive: number, improved: number, direct: number): SweepPoint => ({
  steps,
  psnr: { naive, improved, direct },
  sharpness: { naive: 1, improved: 1, direct: 1 },
});

describe('sweepReading', () => {
  it('reads the change from one step to every level for improved and naive, beside direct', () => {
    const sweep: StepSweep = { t: 40, points: [point(1, 24, 24.5, 24), point(8, 22, 26, 24), point(40, 20, 26.62, 24)] };
    expect(sweepReading(sweep)).toBe('From 1 to 40 steps here, improved gains 2.1 dB (24.5 → 26.6) and naive loses 4.0 dB (24.0 → 20.0); one network call (direct) gives 24.0 dB.');
  });

  it('says when a sampler does not change, when there is one step only, and when everything is exact', () => {
    expect(sweepReading({ t: 2, points: [point(1, 20, 21, 20), point(2, 20.01, 21, 20)] })).toMatch(/improved stays at 21\.0 dB and naive stays at 20\.0 dB/);
    expect(sweepReading({ t: 1, points: [point(1, 20, 21, 20)] })).toMatch(/^With t = 1 there is one step only/);
    expect(sweepReading({ t: 3, points: [point(1, 120, 120, 120), point(3, 120, 120, 120)] })).toMatch(/exactly/);
  });
});
