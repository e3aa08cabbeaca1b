import { describe, expect, it } from 'vitest';
import type { FramePixels, Pixels } from '../engine/types';
import {
  CAPTION_HEIGHT,
  DEFAULT_EXPORT_SCALE,
  EXPORT_SCALES,
  exportFileName,
  exportGeometry,
  exportStrip,
  LABEL_HEIGHT,
  MAX_CANVAS_SIDE,
  sheetScale,
  stripSize,
  TILE_GAP,
  upscaleNearest,
  type ExportSettings,
} from './layout';

const px = (v: number): Pixels => ({ width: 4, height: 4, rgba: new Uint8ClampedArray(64).fill(v) });
const chain = (v: number) => ({ xt: px(v), psnr: null, drift: null, step: null });
const frame = (i: number): FramePixels => ({ index: i, t: 3 - i, naive: chain(i), improved: chain(10 + i), direct: i === 1 ? { x0: px(99), psnr: 1, pathPsnr: null, pathDrift: null } : null });
const settings: ExportSettings = { mode: 'restore', degradation: 'blur', t: 3, steps: 3, seed: 7, dataset: 'faces', colour: '', sigma: 0.002, restorer: 'trained', own: '', backend: 'WASM', fps: 8 };

describe('export layout', () => {
  it('needs every frame of the run', () => {
    expect(exportStrip(settings, px(1), [frame(0), frame(1), undefined, frame(3)])).toBeNull();
    expect(exportStrip(settings, px(1), [frame(0), frame(1)])).toBeNull();
  });
  it('one row per frame 0..t: original, degraded, direct, naive, improved', () => {
    const s = exportStrip(settings, px(1), [0, 1, 2, 3].map(frame))!;
    expect(s.rows).toHaveLength(4);
    expect(s.labels).toEqual(['original', 'degraded t=3', 'direct', 'naive', 'improved']);
    expect(s.rows[2]!.map((p) => p.rgba[0])).toEqual([1, 0, 99, 2, 12]);
    expect(s.caption).toBe('Cold diffusion · Blur, t = 3 · seed 7 · restorer trained · WASM');
    expect(stripSize(s)).toEqual({ width: 5 * 4 + 6 * TILE_GAP, height: 4 + LABEL_HEIGHT + CAPTION_HEIGHT + TILE_GAP });
  });
  it('generating: start, naive, improved (no original)', () => {
    const s = exportStrip({ ...settings, mode: 'generate' }, null, [0, 1, 2, 3].map(frame))!;
    expect(s.labels).toEqual(['start x_T', 'naive', 'improved']);
  });
  it('fewer steps than levels: one row per frame 0..steps, and caption and file name say the steps', () => {
    const fewer = { ...settings, t: 40, steps: 3 };
    const s = exportStrip(fewer, px(1), [0, 1, 2, 3].map(frame))!;
    expect(s.rows).toHaveLength(4);
    expect(exportStrip(fewer, px(1), [0, 1, 2].map(frame))).toBeNull();
    expect(s.caption).toBe('Cold diffusion · Blur, t = 40 in 3 steps · seed 7 · restorer trained · WASM');
    expect(exportFileName(fewer, 'gif')).toBe('cold-diffusion_blur_t40_steps3_seed7_trained_wasm.gif');
  });
  it('file names say the settings', () => {
    expect(exportFileName(settings, 'gif')).toBe('cold-diffusion_blur_t3_seed7_trained_wasm.gif');
    expect(exportFileName({ ...settings, backend: 'CPU (JavaScript)' }, 'frame', 2)).toBe('cold-diffusion_blur_t3_seed7_trained_cpu-javascript_frame2.png');
    expect(exportFileName({ ...settings, mode: 'generate' }, 'sheet')).toBe('cold-diffusion_generate_seed7_trained_wasm_all-frames.png');
  });
  it('scales by a whole factor: 256 px per panel by default, gaps, rows and fonts grow alike', () => {
    const tile = (v: number): Pixels => ({ width: 128, height: 128, rgba: new Uint8ClampedArray(128 * 128 * 4).fill(v) });
    const row = [tile(1), tile(2), tile(3), tile(4), tile(5)];
    const strip = { labels: ['a', 'b', 'c', 'd', 'e'], rows: [row, row], caption: 'c' };
    expect(DEFAULT_EXPORT_SCALE).toBe(2);
    expect(EXPORT_SCALES).toEqual([1, 2, 3, 4]);
    const sizes = EXPORT_SCALES.map((k) => stripSize(strip, k));
    // 1×: 5 × 128 + 6 gaps of 6; 128 + 18 + 20 + 6 tall; each scale multiplies both.
    expect(sizes).toEqual([
      { width: 676, height: 172 },
      { width: 1352, height: 344 },
      { width: 2028, height: 516 },
      { width: 2704, height: 688 },
    ]);
    expect(stripSize(strip)).toEqual(sizes[0]);
    for (const k of EXPORT_SCALES) {
      const g = exportGeometry(strip, k);
      expect(g.width / 5).toBeGreaterThanOrEqual(128 * k);
      expect(g.tileLeft).toEqual([0, 1, 2, 3, 4].map((i) => TILE_GAP * k + i * (128 + TILE_GAP) * k));
      expect([g.tileTop, g.captionHeight]).toEqual([LABEL_HEIGHT * k, CAPTION_HEIGHT * k]);
      expect([g.labelFont, g.captionFont]).toEqual([`${12 * k}px sans-serif`, `${11 * k}px sans-serif`]);
    }
    expect(exportGeometry(strip, DEFAULT_EXPORT_SCALE).width / 5).toBeGreaterThanOrEqual(256);
  });
  it('a contact sheet too tall for a canvas falls back to the largest scale that fits', () => {
    const tile: Pixels = { width: 128, height: 128, rgba: new Uint8ClampedArray(128 * 128 * 4) };
    const run = (t: number) => ({ labels: ['a'], rows: Array.from({ length: t + 1 }, () => [tile]), caption: 'c' });
    // t = 40: 41 rows of 688 px at 4× = 28 208 px, fits; t = 50: 51 × 688 = 35 088 px does not, 3× (26 316 px) does.
    expect(sheetScale(run(40), 4)).toBe(4);
    expect(sheetScale(run(50), 4)).toBe(3);
    expect(stripSize(run(50), 3).height * 51).toBeLessThanOrEqual(MAX_CANVAS_SIDE);
    expect(sheetScale(run(50), 2)).toBe(2);
  });
  it('upscaling is nearest neighbour: each pixel becomes a k × k block of exactly its value', () => {
    const src: Pixels = { width: 3, height: 2, rgba: new Uint8ClampedArray(Array.from({ length: 24 }, (_, i) => (i * 37) % 256)) };
    for (const k of [1, 2, 3, 4]) {
      const big = upscaleNearest(src, k);
      expect([big.width, big.height]).toEqual([3 * k, 2 * k]);
      for (let y = 0; y < big.height; y++)
        for (let x = 0; x < big.width; x++)
          for (let c = 0; c < 4; c++) expect(big.rgba[(y * big.width + x) * 4 + c]).toBe(src.rgba[(Math.floor(y / k) * 3 + Math.floor(x / k)) * 4 + c]);
    }
    // A view that does not start on a 4-byte boundary works too, and the source is left alone.
    const buf = new Uint8ClampedArray(25);
    buf.set(src.rgba, 1);
    const odd = upscaleNearest({ width: 3, height: 2, rgba: buf.subarray(1) }, 2);
    expect(Array.from(odd.rgba)).toEqual(Array.from(upscaleNearest(src, 2).rgba));
    expect(Array.from(buf.subarray(1))).toEqual(Array.from(src.rgba));
  });
});
