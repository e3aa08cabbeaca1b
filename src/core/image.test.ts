import { describe, expect, it } from 'vitest';
import { centreSquare, floatToRgba, resizeArea } from './image';

describe('image helpers', () => {
  it('centre square of landscape and portrait images', () => {
    expect(centreSquare(300, 200)).toEqual({ x: 50, y: 0, size: 200 });
    expect(centreSquare(101, 300)).toEqual({ x: 0, y: 99, size: 101 });
  });

  it('area resize averages exactly, including fractional footprints', () => {
    // 3×3 → 2×2: each output pixel covers 1.5×1.5 input pixels.
    const v = [0, 90, 180, 30, 120, 210, 60, 150, 240];
    const rgba = new Uint8Array(v.flatMap((x) => [x, x, x, 255]));
    const out = resizeArea(rgba, 3, { x: 0, y: 0, size: 3 }, 2);
    // top-left: (1·0 + .5·90 + .5·30 + .25·120) / 2.25
    expect(out[0]).toBe(Math.round((0 + 45 + 15 + 30) / 2.25));
    expect(out[3]).toBe(255);
    const same = resizeArea(rgba, 3, { x: 0, y: 0, size: 3 }, 3);
    expect(Array.from(same)).toEqual(Array.from(rgba));
  });

  it('float images map to bytes with clipping', () => {
    expect(Array.from(floatToRgba([-1, 0, 1.7], 1))).toEqual([0, 128, 255, 255]);
  });
});
