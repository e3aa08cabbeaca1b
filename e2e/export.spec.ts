import { readFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { GifReader } from 'omggif';
import { PNG } from 'pngjs';
import type { FramePixels, Pixels } from '../src/core/engine/types';
import { DEFAULT_EXPORT_SCALE, exportGeometry, exportStrip } from '../src/core/export/layout';
import { expect, test } from './fixtures';
import { waitForAllSteps } from './helpers';

// The layout of a restore run, from src/core/export/layout.ts itself: its panels (original,
// degraded, direct, naive, improved) of 128 px, gaps, names above, caption below, at each scale.
const blank: Pixels = { width: 128, height: 128, rgba: new Uint8ClampedArray(128 * 128 * 4) };
const chain = { xt: blank, psnr: null, drift: null, step: null };
const LAYOUT = exportStrip({ mode: 'restore', degradation: 'blur', t: 1, steps: 1, seed: 1, dataset: 'faces', colour: '', sigma: 0.002, restorer: 'trained', own: '', backend: 'WASM', fps: 8 }, blank, [0, 1].map((index) => ({ index, t: 1 - index, naive: chain, improved: chain, direct: null }) as unknown as FramePixels))!;
const PANELS = LAYOUT.labels.length;
const at = (scale: number) => exportGeometry(LAYOUT, scale);

/** The 128 × 128 pixels a panel shows (its canvas may hold them k× larger: data-upscale). */
async function shownPixels(page: Page, testId: string): Promise<Uint8ClampedArray> {
  const bytes = await page.getByTestId(testId).evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const k = Number(canvas.dataset.upscale ?? 1);
    const all = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const side = canvas.width / k;
    const out: number[] = [];
    for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) out.push(...all.subarray(((y * k) * canvas.width + x * k) * 4, ((y * k) * canvas.width + x * k) * 4 + 4));
    return out;
  });
  return new Uint8ClampedArray(bytes);
}

/** Tile `tile` of an exported PNG at a scale is the panel's pixels, each a scale × scale block of exactly its value. */
function expectTileIsPanel(png: PNG, scale: number, tile: number, panel: Uint8ClampedArray): void {
  const g = at(scale);
  let wrong = 0;
  for (let y = 0; y < 128 * scale; y++)
    for (let x = 0; x < 128 * scale; x++) {
      const o = ((g.tileTop + y) * png.width + g.tileLeft[tile]! + x) * 4;
      const i = (Math.floor(y / scale) * 128 + Math.floor(x / scale)) * 4;
      for (let c = 0; c < 3; c++) if (png.data[o + c] !== panel[i + c]) wrong++;
    }
  expect(wrong).toBe(0);
}

test.describe('export', () => {
  test('the GIF has t + 1 frames of the panels side by side, 256 px each by default; the contact sheet and the frame PNG decode; names say the settings; the size is a choice', async ({ page }) => {
    test.setTimeout(180_000);
    const t = 4;
    await page.goto(`/#img=kite&deg=blur&t=${t}&backend=wasm&frame=2&fps=8&seed=3`);
    await expect(page.getByTestId('export-gif')).toBeDisabled();
    await waitForAllSteps(page);
    await expect(page.getByTestId('export-scale')).toHaveValue(String(DEFAULT_EXPORT_SCALE));

    const save = async (id: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
      return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
    };
    const gif = await save('export-gif');
    expect(gif.name).toBe('cold-diffusion_blur_t4_seed3_trained_wasm.gif');
    const reader = new GifReader(new Uint8Array(gif.bytes));
    expect(reader.numFrames()).toBe(t + 1);
    // At least 256 px per panel by default (2×: 1352 px for 5 panels).
    expect(reader.width / PANELS).toBeGreaterThanOrEqual(256);
    const { width: WIDTH, height: HEIGHT } = at(DEFAULT_EXPORT_SCALE);
    expect([reader.width, reader.height]).toEqual([WIDTH, HEIGHT]);
    // The frames differ (the samplers move), and the last one holds longer. After the first, a frame
    // stores only what changed, the rest transparent: a viewer shows frame i by playing 0..i.
    const play = (upTo: number) => {
      const out = new Uint8Array(WIDTH * HEIGHT * 4);
      for (let i = 0; i <= upTo; i++) reader.decodeAndBlitFrameRGBA(i, out);
      return out;
    };
    const [first, last] = [play(0), play(t)];
    let changed = 0;
    for (let i = 0; i < first.length; i++) if (first[i] !== last[i]) changed++;
    expect(changed).toBeGreaterThan(4000);
    expect(reader.frameInfo(t).delay).toBeGreaterThan(reader.frameInfo(0).delay);

    const sheet = await save('export-sheet');
    expect(sheet.name).toBe('cold-diffusion_blur_t4_seed3_trained_wasm_all-frames.png');
    const sheetPng = PNG.sync.read(sheet.bytes);
    expect([sheetPng.width, sheetPng.height]).toEqual([WIDTH, HEIGHT * (t + 1)]);

    const frame = await save('export-frame');
    expect(frame.name).toBe('cold-diffusion_blur_t4_seed3_trained_wasm_frame2.png');
    const framePng = PNG.sync.read(frame.bytes);
    expect([framePng.width, framePng.height]).toEqual([WIDTH, HEIGHT]);
    // The frame PNG is row 2 of the contact sheet.
    const row = sheetPng.data.subarray(2 * HEIGHT * WIDTH * 4, 3 * HEIGHT * WIDTH * 4);
    expect(Buffer.compare(Buffer.from(row), framePng.data)).toBe(0);
    // The GIF's frame 2, played, is that PNG to within its 256-colour palettes.
    const played = play(2);
    let diff = 0;
    for (let i = 0; i < played.length; i++) if (i % 4 !== 3) diff += Math.abs(played[i]! - framePng.data[i]!);
    expect(diff / ((played.length * 3) / 4)).toBeLessThan(2);
    // Its tiles are the panels' pixels, enlarged by nearest neighbour: nothing invented.
    const improved = await shownPixels(page, 'canvas-improved');
    expectTileIsPanel(framePng, DEFAULT_EXPORT_SCALE, 4, improved);
    expectTileIsPanel(framePng, DEFAULT_EXPORT_SCALE, 0, await shownPixels(page, 'canvas-original'));

    // Another size: 1× gives the network's 128 px per panel, 3× 384 px; same names.
    await page.getByTestId('export-scale').selectOption('1');
    const small = await save('export-gif');
    expect(small.name).toBe(gif.name);
    const smallReader = new GifReader(new Uint8Array(small.bytes));
    expect([smallReader.width, smallReader.height]).toEqual([at(1).width, at(1).height]);
    expect(smallReader.width / PANELS).toBeLessThan(reader.width / PANELS);
    await page.getByTestId('export-scale').selectOption('3');
    const big = PNG.sync.read((await save('export-frame')).bytes);
    expect([big.width, big.height]).toEqual([at(3).width, at(3).height]);
    expectTileIsPanel(big, 3, 4, improved);
  });
});
