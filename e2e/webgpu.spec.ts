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

// Training your own transform's restorer on WebGPU: a few steps complete there and the loss is a number. On
// SwiftShader (this machine's software adapter) the page picks the small network; a step takes about 20 s (the
// first 30 s, its programs built). Until 2026-12-06 the first step lost the device (tfjs-webgpu's synchronous
// read goes through canvases; "A valid external Instance reference no longer exists") and training moved to
// WASM: the loss and the transform's warning are now read asynchronously on GPU backends.
test('a few training steps of your own transform complete on WebGPU', async ({ page }) => {
  test.setTimeout(480_000);
  await page.goto('/#mode=own&own=10~darken.l.60&t=5&budget=0&backend=webgpu');
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu', { timeout: 60_000 });
  await expect(page.getByTestId('training-network')).toContainText(/small .*software adapter|large/);
  await page.getByTestId('train').click();
  const status = page.getByTestId('training-status');
  await expect.poll(async () => Number(await status.getAttribute('data-steps')), { timeout: 360_000, intervals: [2000] }).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgpu');
  await page.getByTestId('training-stop').click();
  await expect(status).toHaveAttribute('data-status', 'stopped', { timeout: 120_000 });
  const first = Number(await page.getByTestId('loss-chart').getAttribute('data-first'));
  expect(Number.isFinite(first) && first > 0).toBe(true);
  console.log(`trained on WebGPU: ${await status.innerText()}`);
});
