import { describe, expect, it } from 'vitest';
import type { FramePixels, Pixels } from '../engine/types';
import { CAPTION_HEIGHT, exportFileName, exportStrip, LABEL_HEIGHT, stripSize, TILE_GAP, type ExportSettings } from './layout';

const px = (v: number): Pixels => ({ width: 4, height: 4, rgba: new Uint8ClampedArray(64).fill(v) });
const chain = (v: number) => ({ xt: px(v), psnr: null, drift: null, step: null });
const frame = (i: number): FramePixels => ({ index: i, t: 3 - i, naive: chain(i), improved: chain(10 + i), direct: i === 1 ? { x0: px(99), psnr: 1, pathPsnr: null, pathDrift: null } : null });
const settings: ExportSettings = { mode: 'restore', degradation: 'blur', t: 3, seed: 7, restorer: 'trained', backend: 'WASM', fps: 8 };

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
  it('file names say the settings', () => {
    expect(exportFileName(settings, 'gif')).toBe('cold-diffusion_blur_t3_seed7_trained_wasm.gif');
    expect(exportFileName({ ...settings, backend: 'CPU (JavaScript)' }, 'frame', 2)).toBe('cold-diffusion_blur_t3_seed7_trained_cpu-javascript_frame2.png');
    expect(exportFileName({ ...settings, mode: 'generate' }, 'sheet')).toBe('cold-diffusion_generate_seed7_trained_wasm_all-frames.png');
  });
});
