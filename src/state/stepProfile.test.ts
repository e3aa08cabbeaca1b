import { describe, expect, it } from 'vitest';
import type { StepProfile } from '../core/engine/events';
import { describeProfile, medianProfile } from './stepProfile';

const step = (network: number, pixels = 2, aside = 0): StepProfile => ({ network, operators: 1, paths: 1, readBack: 0.5, pixels, handOff: 0.5, aside });

describe('where a step’s time goes', () => {
  it('takes each phase’s median over the run, leaving out the first step (it warms the backend)', () => {
    expect(medianProfile([])).toBeNull();
    expect(medianProfile([step(900)])).toEqual(step(900));
    expect(medianProfile([step(900), step(100, 3), step(120, 1), step(110, 9)])).toEqual({ network: 110, operators: 1, paths: 1, readBack: 0.5, pixels: 3, handOff: 0.5, aside: 0 });
  });

  it('names each phase with its milliseconds and share', () => {
    const text = describeProfile(step(95));
    expect(text).toContain('network 95 ms (95 %)');
    expect(text).toContain('pixels and metrics 2.0 ms (2 %)');
    expect(text).not.toContain('second worker');
  });

  it('tells the pictures made in a second worker apart: off the step’s path, so not in its shares', () => {
    const text = describeProfile(step(95, 0.2, 8));
    expect(text).toContain('network 95 ms (97 %)');
    expect(text).toContain('pixels and metrics 0.2 ms (0 %)');
    expect(text).toMatch(/second worker while the next step runs, 8\.0 ms$/);
  });
});
