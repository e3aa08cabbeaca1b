import { describe, expect, it } from 'vitest';
import { stepSchedule } from './stepSchedule';

describe('stepSchedule', () => {
  it('goes from t to 0 in n strictly decreasing steps whose gaps differ by at most 1, for every 1 ≤ n ≤ t ≤ 50', () => {
    for (let t = 1; t <= 50; t++) {
      for (let n = 1; n <= t; n++) {
        const levels = stepSchedule(t, n);
        expect(levels).toHaveLength(n + 1);
        expect(levels[0]).toBe(t);
        expect(levels[n]).toBe(0);
        const gaps = levels.slice(1).map((s, i) => levels[i]! - s);
        expect(Math.min(...gaps), `t=${t} n=${n}`).toBeGreaterThanOrEqual(1);
        expect(Math.max(...gaps) - Math.min(...gaps), `t=${t} n=${n}`).toBeLessThanOrEqual(1);
        expect(levels.every(Number.isInteger)).toBe(true);
      }
    }
  });

  it('with n = t visits every level, as the paper does; with n = 1 jumps straight to 0', () => {
    expect(stepSchedule(5, 5)).toEqual([5, 4, 3, 2, 1, 0]);
    expect(stepSchedule(40, 1)).toEqual([40, 0]);
    expect(stepSchedule(40, 4)).toEqual([40, 30, 20, 10, 0]);
  });

  it('refuses a step count outside 1..t', () => {
    expect(() => stepSchedule(10, 0)).toThrow(RangeError);
    expect(() => stepSchedule(10, 11)).toThrow(RangeError);
    expect(() => stepSchedule(10, 2.5)).toThrow(RangeError);
    expect(stepSchedule(0, 1)).toEqual([0]);
  });
});
