import { expect, test } from './fixtures';
import { canvasPixels, meanAbsDiff, openMoreSettings, waitForAllSteps, waitForModel } from './helpers';

/** Standard deviation of the gray level over a canvas: 0 for a flat colour. */
function spread(rgba: number[]): number {
  const gray: number[] = [];
  for (let i = 0; i < rgba.length; i += 4) gray.push((rgba[i]! + rgba[i + 1]! + rgba[i + 2]!) / 3);
  const mean = gray.reduce((a, b) => a + b, 0) / gray.length;
  return Math.sqrt(gray.reduce((a, b) => a + (b - mean) ** 2, 0) / gray.length);
}

test.describe('seeds and generation', () => {
  test('the seed in a link fixes the hole; another seed moves it', async ({ page, context }) => {
    await page.goto('/#mode=restore&img=forest&deg=inpaint&t=20&backend=wasm&frame=0&fps=8&seed=5');
    await expect(page.getByTestId('canvas-degraded')).toHaveAttribute('data-ready', 'true');
    await expect(page.getByTestId('seed')).toHaveValue('5');
    const first = await canvasPixels(page, 'canvas-degraded');

    const again = await context.newPage();
    await again.goto('/#mode=restore&img=forest&deg=inpaint&t=20&backend=wasm&frame=0&fps=8&seed=5');
    await expect(again.getByTestId('canvas-degraded')).toHaveAttribute('data-ready', 'true');
    expect(meanAbsDiff(await canvasPixels(again, 'canvas-degraded'), first)).toBe(0);

    await openMoreSettings(page);
    await page.getByTestId('new-seed').click();
    await expect(page).not.toHaveURL(/seed=5(&|$)/);
    await expect.poll(async () => meanAbsDiff(await canvasPixels(page, 'canvas-degraded'), first), { timeout: 30_000 }).toBeGreaterThan(1);
  });

  test('generate turns a flat colour into a face, and the link gives the same one', async ({ page, context }) => {
    await page.goto('/#mode=restore&img=kite&deg=blur&t=4&backend=wasm&frame=0&fps=30&seed=2');
    await page.getByTestId('mode-generate').click();
    await expect(page).toHaveURL(/mode=generate/);
    await expect(page).toHaveURL(/data=faces/);
    await expect(page.getByTestId('panel-original')).toHaveCount(0);
    await waitForModel(page);
    await expect(page.getByTestId('model-card-raw')).toHaveAttribute('href', /models\/generate-faces\/MODEL_CARD\.md$/);
    await waitForAllSteps(page);
    const start = await canvasPixels(page, 'canvas-degraded');
    expect(spread(start)).toBeLessThan(2); // flat colour (+ noise far below one grey level)
    await page.getByTestId('play').click();
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '30', { timeout: 60_000 });
    const face = await canvasPixels(page, 'canvas-improved');
    expect(spread(face)).toBeGreaterThan(20); // a shape on a background, not a flat patch
    await expect(page.getByTestId('psnr-improved')).toContainText('no original');

    const link = page.url();
    const other = await context.newPage();
    await other.goto(link);
    await waitForModel(other);
    await expect(other.getByTestId('frame-counter')).toHaveAttribute('data-frame', '30');
    await expect(other.getByTestId('psnr-improved')).not.toContainText('computing', { timeout: 60_000 });
    expect(meanAbsDiff(await canvasPixels(other, 'canvas-improved'), face)).toBe(0);

    // Each press is a new sample.
    await page.getByTestId('generate').click();
    await expect(page).not.toHaveURL(/seed=2(&|$)/);
    await waitForAllSteps(page);
    await page.getByTestId('play').click();
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '30', { timeout: 60_000 });
    expect(meanAbsDiff(await canvasPixels(page, 'canvas-improved'), face)).toBeGreaterThan(2);
  });

  test('the grid forms eight distinct samples at once; the one picked forms frame by frame in the big panels', async ({ page }) => {
    await page.goto('/#mode=generate&data=faces&seed=1&backend=wasm&fps=30');
    await expect(page.getByTestId('sample-grid').locator('[data-done]')).toHaveAttribute('data-done', '30', { timeout: 120_000 });
    const samples = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((s) => canvasPixels(page, `sample-canvas-${s}`)));
    for (let i = 0; i < samples.length; i++) for (let j = i + 1; j < samples.length; j++) expect(meanAbsDiff(samples[i]!, samples[j]!)).toBeGreaterThan(1);
    await page.getByTestId('sample-5').click();
    await expect(page).toHaveURL(/seed=5(&|$)/);
    await expect(page.getByTestId('sample-5')).toHaveAttribute('aria-pressed', 'true');
    await waitForAllSteps(page);
    await page.getByTestId('scrubber').fill('10');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '10');
    const half = await canvasPixels(page, 'canvas-improved');
    await page.getByTestId('scrubber').fill('30');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '30');
    const end = await canvasPixels(page, 'canvas-improved');
    expect(meanAbsDiff(half, end)).toBeGreaterThan(1); // it forms step by step
    expect(meanAbsDiff(end, samples[5]!)).toBeLessThan(1); // the grid's sample, drawn larger (batch rounding aside)
  });

  test('colour, noise and data set travel in the link; with no noise, two seeds of one colour give one picture', async ({ page, context }) => {
    const link = '/#mode=generate&data=garments&colour=5a6e8c&sigma=0&seed=3&backend=wasm';
    await page.goto(link);
    await expect(page.getByTestId('dataset')).toHaveValue('garments');
    await expect(page.getByTestId('start-colour')).toHaveValue('#5a6e8c');
    await expect(page.getByTestId('sigma-value')).toHaveText('0.000');
    await expect(page.getByTestId('sample-grid').locator('[data-done]')).toHaveAttribute('data-done', '20', { timeout: 120_000 });
    expect(meanAbsDiff(await canvasPixels(page, 'sample-canvas-0'), await canvasPixels(page, 'sample-canvas-1'))).toBe(0);
    await waitForAllSteps(page);
    await page.getByTestId('scrubber').fill('20');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '20');
    await expect(page.getByTestId('canvas-improved')).toHaveAttribute('data-ready', 'true');
    const mine = await canvasPixels(page, 'canvas-improved');

    const other = await context.newPage();
    await other.goto(link);
    await waitForAllSteps(other);
    await other.getByTestId('scrubber').fill('20');
    await expect(other.getByTestId('frame-counter')).toHaveAttribute('data-frame', '20');
    await expect(other.getByTestId('canvas-improved')).toHaveAttribute('data-ready', 'true');
    expect(meanAbsDiff(await canvasPixels(other, 'canvas-improved'), mine)).toBe(0);

    // Some noise back: the seeds differ again.
    await page.getByTestId('sigma').fill('0.02');
    await expect(page).toHaveURL(/sigma=0.02(&|$)/);
    await expect(page.getByTestId('sample-grid').locator('[data-done]')).toHaveAttribute('data-done', '20', { timeout: 120_000 });
    expect(meanAbsDiff(await canvasPixels(page, 'sample-canvas-0'), await canvasPixels(page, 'sample-canvas-1'))).toBeGreaterThan(0.5);
  });
});
