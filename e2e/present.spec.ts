import { expect, test } from './fixtures';
import { waitForAllSteps } from './helpers';

test.describe('share and present', () => {
  test('a lesson link with hide= opens without those controls, and their settings still apply', async ({ page }) => {
    await page.goto('/#img=kite&deg=inpaint&t=6&backend=wasm&seed=9&hide=seed,backend,degradation,image');
    await expect(page.getByTestId('t-slider')).toBeVisible();
    for (const id of ['seed', 'backend', 'degradation', 'sample-kite']) await expect(page.getByTestId(id)).toHaveCount(0);
    await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await expect(page.getByTestId('panel-degraded')).toContainText('t = 6');
    await waitForAllSteps(page);
    await expect(page).toHaveURL(/seed=9/);
    await expect(page).toHaveURL(/hide=seed%2Cbackend%2Cdegradation%2Cimage/);
  });

  test('present=1 opens presentation mode: panels, chart and a QR code of the link fill 1280×720 without scrolling', async ({ page }) => {
    for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`/#img=kite&deg=blur&t=4&backend=wasm&frame=0&fps=8&seed=${width}&present=1`);
      await expect(page.getByTestId('presentation')).toBeVisible();
      await expect(page.getByTestId('degradation')).toHaveCount(0); // controls reduced to the timeline
      await expect(page.getByTestId('scrubber')).toBeVisible();
      await waitForAllSteps(page);
      // Every panel, both charts and the QR code on screen; nothing to scroll.
      for (const id of ['panel-original', 'panel-degraded', 'panel-direct', 'panel-naive', 'panel-improved', 'chart-psnr', 'chart-drift', 'qr-code']) {
        const box = (await page.getByTestId(id).boundingBox())!;
        expect(box.y + box.height, `${id} at ${width}×${height}`).toBeLessThanOrEqual(height + 1);
        expect(box.x + box.width, `${id} at ${width}×${height}`).toBeLessThanOrEqual(width + 1);
      }
      const overflow = await page.evaluate(() => [document.documentElement.scrollHeight - innerHeight, document.documentElement.scrollWidth - innerWidth]);
      expect(overflow[0]).toBeLessThanOrEqual(0);
      expect(overflow[1]).toBeLessThanOrEqual(0);
      // The code carries the link the students need (not presentation mode).
      const href = await page.getByTestId('qr-code').getAttribute('data-href');
      expect(href).toMatch(/deg=blur/);
      expect(href).toMatch(/present=0/);
    }
    await page.getByTestId('fullscreen').click();
    await expect.poll(() => page.evaluate(() => Boolean(document.fullscreenElement))).toBe(true);
    await expect(page.getByTestId('fullscreen')).toHaveText('Leave full screen');
    await page.getByTestId('fullscreen').click();
    await expect.poll(() => page.evaluate(() => Boolean(document.fullscreenElement))).toBe(false);
    await page.getByTestId('exit-present').click();
    await expect(page.getByTestId('presentation')).toHaveCount(0);
    await expect(page).toHaveURL(/present=0/);
    await page.getByTestId('present').click();
    await expect(page.getByTestId('presentation')).toBeVisible();
    await page.locator('body').press('Escape');
    await expect(page.getByTestId('presentation')).toHaveCount(0);
  });
});
