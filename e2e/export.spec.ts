import { readFileSync } from 'node:fs';
import { GifReader } from 'omggif';
import { PNG } from 'pngjs';
import { expect, test } from './fixtures';
import { waitForAllSteps } from './helpers';

// 5 tiles of 128 px with 6 px gaps; names above (18 px), caption below (20 px), a gap.
const WIDTH = 5 * 128 + 6 * 6;
const HEIGHT = 128 + 18 + 20 + 6;

test.describe('export', () => {
  test('the GIF has t + 1 frames of the panels side by side; the contact sheet and the frame PNG decode; names say the settings', async ({ page }) => {
    test.setTimeout(180_000);
    const t = 4;
    await page.goto(`/#img=kite&deg=blur&t=${t}&backend=wasm&frame=2&fps=8&seed=3`);
    await expect(page.getByTestId('export-gif')).toBeDisabled();
    await waitForAllSteps(page);

    const save = async (id: string) => {
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId(id).click()]);
      return { name: download.suggestedFilename(), bytes: readFileSync((await download.path())!) };
    };
    const gif = await save('export-gif');
    expect(gif.name).toBe('cold-diffusion_blur_t4_seed3_trained_wasm.gif');
    const reader = new GifReader(new Uint8Array(gif.bytes));
    expect(reader.numFrames()).toBe(t + 1);
    expect([reader.width, reader.height]).toEqual([WIDTH, HEIGHT]);
    // The frames differ (the samplers move), and the last one holds longer.
    const pixels = (i: number) => {
      const out = new Uint8Array(WIDTH * HEIGHT * 4);
      reader.decodeAndBlitFrameRGBA(i, out);
      return out;
    };
    const [first, last] = [pixels(0), pixels(t)];
    let changed = 0;
    for (let i = 0; i < first.length; i++) if (first[i] !== last[i]) changed++;
    expect(changed).toBeGreaterThan(1000);
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
  });
});
