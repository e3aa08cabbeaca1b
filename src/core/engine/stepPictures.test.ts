import { describe, expect, it } from 'vitest';
import { chainPixels } from './stepPictures';
import { RESIDUAL_GAIN } from './types';

const size = { width: 2, height: 1 };
const values = (...v: number[]) => Float32Array.from(v);

describe('a chain’s frame', () => {
  it('shows the residual x_s − D(x̂0, s) magnified around gray, with its RMS on the [0, 1] scale', () => {
    const step = { xt: values(0, 0, 0, 0, 0, 0), x0: values(0, 0, 0, 0, 0, 0), atS: values(0, 0, 0, 0, 0, 0), atPrev: values(0, 0, 0, 0, 0, 0) };
    const xs = values(0.1, 0.1, 0.1, -0.1, -0.1, -0.1);
    const frame = chainPixels(step, xs, size, null, null);
    expect(frame.step!.residualRms).toBeCloseTo(0.05, 6);
    expect(frame.step!.residual.rgba[0]).toBe(Math.round(((0.1 * RESIDUAL_GAIN + 1) / 2) * 255));
    expect(frame.psnr).toBeNull();
    expect(frame.drift).toBeNull();
    expect(frame.step!.x0Psnr).toBeNull();
  });

  it('measures xt and x̂0 against the original, and xt’s drift from the true trajectory', () => {
    const original = values(0.5, 0.5, 0.5, -0.5, -0.5, -0.5);
    const step = { xt: original, x0: original, atS: original, atPrev: original };
    const frame = chainPixels(step, original, size, { data: original, ...size }, values(0.5, 0.5, 0.5, -0.5, -0.5, 0.3));
    expect(frame.psnr).toBeGreaterThan(100);
    expect(frame.step!.x0Psnr).toBeGreaterThan(100);
    expect(frame.drift).toBeCloseTo(Math.sqrt(0.4 ** 2 / 6), 6);
  });
});
