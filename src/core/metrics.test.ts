import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { psnr, rmse, sharpness, ssim, type ImageData3 } from './metrics';
import { PARITY_DIR, readJson, type EncodedTensor } from './testing/fixtures';

function image(e: EncodedTensor): ImageData3 {
  const bytes = Buffer.from(e.data, 'base64');
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  return { data, height: e.shape[1]!, width: e.shape[2]! };
}

describe('metrics', () => {
  const fx = readJson<{ reference: EncodedTensor; cases: { name: string; image: EncodedTensor; psnr: number; rmse: number; ssim: number; sharpness: number }[] }>(join(PARITY_DIR, 'metrics.json'));
  const ref = image(fx.reference);

  for (const c of fx.cases) {
    it(`match training/metrics.py on a ${c.name} image`, () => {
      const x = image(c.image);
      expect(psnr(x, ref)).toBeCloseTo(c.psnr, 4);
      expect(rmse(x, ref)).toBeCloseTo(c.rmse, 6);
      expect(ssim(x, ref)).toBeCloseTo(c.ssim, 5);
      expect(sharpness(x, ref)).toBeCloseTo(c.sharpness, 4);
    });
  }

  it('are ideal for identical images and reject mismatched sizes', () => {
    expect(psnr(ref, ref)).toBeGreaterThan(100);
    expect(ssim(ref, ref)).toBeCloseTo(1, 10);
    expect(sharpness(ref, ref)).toBe(1);
    expect(() => psnr(ref, { data: new Float32Array(3), width: 1, height: 1 })).toThrow(/differ in size/);
  });
});
