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

  test('generate turns a flat colour into a garment, and the link gives the same one', async ({ page, context }) => {
    await page.goto('/#mode=restore&img=kite&deg=blur&t=4&backend=wasm&frame=0&fps=30&seed=2'); // seed 2: a light garment (samples.png, third column)
    await page.getByTestId('mode-generate').click();
    await expect(page).toHaveURL(/mode=generate/);
    await expect(page.getByTestId('panel-original')).toHaveCount(0);
    await waitForModel(page);
    await expect(page.getByTestId('model-card-raw')).toHaveAttribute('href', /models\/generate\/MODEL_CARD\.md$/);
    await waitForAllSteps(page);
    const start = await canvasPixels(page, 'canvas-degraded');
    expect(spread(start)).toBeLessThan(2); // flat colour (+ noise far below one grey level)
    await page.getByTestId('play').click();
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '20', { timeout: 60_000 });
    const garment = await canvasPixels(page, 'canvas-improved');
    expect(spread(garment)).toBeGreaterThan(20); // a shape on a background, not a flat patch
    await expect(page.getByTestId('psnr-improved')).toContainText('no original');

    const link = page.url();
    const other = await context.newPage();
    await other.goto(link);
    await waitForModel(other);
    await expect(other.getByTestId('frame-counter')).toHaveAttribute('data-frame', '20');
    await expect(other.getByTestId('psnr-improved')).not.toContainText('computing', { timeout: 60_000 });
    expect(meanAbsDiff(await canvasPixels(other, 'canvas-improved'), garment)).toBe(0);

    // Each press is a new sample.
    await page.getByTestId('generate').click();
    await expect(page).not.toHaveURL(/seed=2(&|$)/);
    await waitForAllSteps(page);
    await page.getByTestId('play').click();
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '20', { timeout: 60_000 });
    expect(meanAbsDiff(await canvasPixels(page, 'canvas-improved'), garment)).toBeGreaterThan(2);
  });
});
