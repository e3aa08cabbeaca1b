import { expect, test } from './fixtures';
import { canvasPixels, waitForAllSteps, waitForModel } from './helpers';

test.describe('your image in the link', () => {
  test('an uploaded image put in the link opens in a fresh browser with the same pixels and the same restoration', async ({ page, browser }) => {
    test.setTimeout(180_000);
    await page.goto('/#img=forest&deg=blur&t=4&backend=wasm&frame=4&seed=1');
    await waitForModel(page);
    const png = await page.evaluate(async () => {
      const c = new OffscreenCanvas(200, 160);
      const ctx = c.getContext('2d')!;
      const g = ctx.createLinearGradient(0, 0, 200, 160);
      g.addColorStop(0, '#d33');
      g.addColorStop(1, '#33d');
      ctx.fillStyle = g;
      ctx.fillRect(0, 0, 200, 160);
      ctx.fillStyle = '#fff';
      ctx.fillRect(80, 60, 40, 40);
      return Array.from(new Uint8Array(await (await c.convertToBlob()).arrayBuffer()));
    });
    await page.getByTestId('file-input').setInputFiles({ name: 'mine.png', mimeType: 'image/png', buffer: Buffer.from(png) });
    await expect(page.getByText('showing')).toContainText('mine.png');
    await expect(page).not.toHaveURL(/imgdata/);
    await page.getByTestId('image-in-link').click();
    await expect(page).toHaveURL(/imgdata=webp\./);
    await expect(page.getByText('showing')).toContainText('your image from the link');
    await expect(page.getByTestId('notices')).toContainText('never sent to a server');
    await waitForAllSteps(page);
    const url = page.url();
    const value = new URLSearchParams(new URL(url).hash.slice(1)).get('imgdata')!;
    expect(value.length).toBeLessThan(16_000); // a few kB of WebP
    const sent = { original: await canvasPixels(page, 'canvas-original'), improved: await canvasPixels(page, 'canvas-improved'), naive: await canvasPixels(page, 'canvas-naive') };

    const fresh = await browser.newContext();
    try {
      const other = await fresh.newPage();
      await other.goto(url);
      await waitForAllSteps(other);
      await expect(other.getByText('showing')).toContainText('your image from the link');
      expect(await canvasPixels(other, 'canvas-original')).toEqual(sent.original);
      expect(await canvasPixels(other, 'canvas-naive')).toEqual(sent.naive);
      expect(await canvasPixels(other, 'canvas-improved')).toEqual(sent.improved);
    } finally {
      await fresh.close();
    }
    // Out of the link again: the gallery image.
    await page.getByTestId('image-out-of-link').click();
    await expect(page).not.toHaveURL(/imgdata/);
    await expect(page.getByTestId('panel-original')).toContainText('Path'); // the forest sample
  });

  for (const [what, value] of [
    ['non-image data', 'webp.AAAAAAAAAAAAAAAAAAAA'],
    ['a truncated image', 'webp.UklGRiQAAABXRUJQVlA4IBgAAAAwAQCdASoBAAEA'],
    ['a value that is no image data at all', 'hello%20world'],
  ] as const) {
    test(`${what} in the image field: a notice and the gallery image`, async ({ page }) => {
      await page.goto(`/#img=kite&deg=blur&t=4&backend=wasm&imgdata=${value}`);
      await expect(page.getByTestId('notices')).toContainText(/image in the link (could not be read|is not image data)/);
      await expect(page.getByTestId('panel-original')).toContainText('Kite');
      await expect(page.getByTestId('canvas-original')).toHaveAttribute('data-ready', 'true');
      // Still there once the gallery image has loaded (loading it once cleared the notice).
      await expect(page.getByTestId('notices')).toContainText(/image in the link (could not be read|is not image data)/);
      await expect(page).not.toHaveURL(/imgdata/);
      await waitForAllSteps(page);
    });
  }
});
