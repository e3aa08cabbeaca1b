import { expect, test } from './fixtures';
import { canvasPixels, meanAbsDiff, waitForAllSteps, waitForModel } from './helpers';

// Chromium started with --enable-unsafe-webgpu (see playwright.config.ts). On a machine
// without a GPU the adapter is SwiftShader: slow (seconds per step), so the run is short.
test('a short run completes on the WebGPU backend', async ({ page }) => {
  await page.goto('/#img=sunflower&deg=blur&t=2&backend=webgpu&frame=0&fps=8');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  await waitForModel(page);
  await waitForAllSteps(page, 170_000);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByTestId('play').click();
  await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '2');
  const original = await canvasPixels(page, 'canvas-original');
  const degraded = await canvasPixels(page, 'canvas-degraded');
  const improved = await canvasPixels(page, 'canvas-improved');
  expect(meanAbsDiff(improved, degraded)).toBeGreaterThan(0);
  expect(meanAbsDiff(improved, original)).toBeLessThan(meanAbsDiff(degraded, original));
});
