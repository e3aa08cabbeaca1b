import jsQR from 'jsqr';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { waitForAllSteps } from './helpers';

/** Decodes the presentation's QR code from its canvas pixels (what a phone's camera would read), with its size on screen per module. */
async function readQrCode(page: Page): Promise<{ text: string | null; pxPerModule: number }> {
  const { rgba, width, height, shown } = await page.getByTestId('qr-canvas').evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const rgba = Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
    return { rgba, width: canvas.width, height: canvas.height, shown: Math.min(canvas.clientWidth, canvas.clientHeight) };
  });
  const modules = Number(await page.getByTestId('qr-code').getAttribute('data-modules'));
  return { text: jsQR(new Uint8ClampedArray(rgba), width, height)?.data ?? null, pxPerModule: shown / modules };
}

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
      // The code carries the shortest link the students need: what differs from the defaults, not presentation mode.
      const href = await page.getByTestId('qr-code').getAttribute('data-href');
      expect(href).toMatch(/#img=kite&deg=blur&t=4&backend=wasm/);
      expect(href).not.toMatch(/fps=|present|chart=/);
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

  test("with the visitor's image in the link, the QR code still reads: it opens the same view with the gallery picture, and says so", async ({ page, browser }) => {
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/#img=kite&deg=inpaint&t=6&seed=3&restorer=early&backend=wasm');
    // A visitor's image of the usual size: 128×128 WebP of busy pixels, several kB in the link.
    const imgdata = await page.evaluate(async () => {
      const c = new OffscreenCanvas(128, 128);
      const ctx = c.getContext('2d')!;
      for (let y = 0; y < 128; y += 4) for (let x = 0; x < 128; x += 4) {
        ctx.fillStyle = `rgb(${(x * 7 + y * 13) % 256},${(x * y) % 256},${(x * 31 + y * 5) % 256})`;
        ctx.fillRect(x, y, 4, 4);
      }
      const bytes = new Uint8Array(await (await c.convertToBlob({ type: 'image/webp', quality: 0.8 })).arrayBuffer());
      let binary = '';
      for (const b of bytes) binary += String.fromCharCode(b);
      return `webp.${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
    });
    expect(imgdata.length).toBeGreaterThan(2_000);
    await page.goto(`/#img=kite&deg=inpaint&t=6&seed=3&restorer=early&backend=wasm&imgdata=${imgdata}&present=1`);
    await expect(page.getByTestId('presentation')).toBeVisible();
    await expect(page.getByTestId('presentation-title')).toContainText('your image');
    await waitForAllSteps(page);
    await expect(page.getByTestId('qr-without-image')).toHaveText('This code opens the view with the gallery picture: your image is too large for a code.');
    // Served from localhost in the tests: the caption says a phone cannot open it.
    await expect(page.getByTestId('qr-local')).toContainText('A phone cannot open localhost');
    const { text, pxPerModule } = await readQrCode(page);
    expect(text).toBe(await page.getByTestId('qr-code').getAttribute('data-href'));
    expect(text).toMatch(/^http:\/\/localhost:\d+\/#img=kite&t=6&backend=wasm(&frame=\d+)?&seed=3&restorer=early$/);
    expect(Number(await page.getByTestId('qr-code').getAttribute('data-version'))).toBeLessThanOrEqual(10);
    expect(pxPerModule, 'CSS pixels per module at 1280×720').toBeGreaterThanOrEqual(3);

    const fresh = await browser.newContext();
    try {
      const phone = await fresh.newPage();
      await phone.goto(text!);
      await expect(phone.getByTestId('presentation')).toHaveCount(0);
      await expect(phone.getByTestId('degradation')).toHaveValue('inpaint');
      await expect(phone.getByTestId('restorer')).toHaveValue('early');
      await expect(phone.getByTestId('panel-degraded')).toContainText('t = 6');
      await expect(phone.getByTestId('panel-original')).toContainText('Kite');
      await waitForAllSteps(phone);
      expect(phone.url()).not.toMatch(/imgdata/);
    } finally {
      await fresh.close();
    }
  });

  test('the presentation title names what differs from the default view: the early checkpoint', async ({ page }) => {
    await page.goto('/#deg=blur&t=40&restorer=early&backend=wasm&present=1');
    await expect(page.getByTestId('presentation-title')).toHaveText('Cold diffusion: Blur, t = 40 · early checkpoint (3 % of training)');
    await expect(page.getByTestId('qr-code')).toHaveAttribute('data-href', /#deg=blur&t=40&backend=wasm&restorer=early$/);
  });

  test('a phone (390×844): no Present button; a present=1 link still shows its way out, nothing wider than the screen', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm');
    await expect(page.getByTestId('t-slider')).toBeVisible();
    await expect(page.getByTestId('share')).toBeVisible();
    await expect(page.getByTestId('present')).toBeHidden();
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm&present=1');
    await expect(page.getByTestId('presentation')).toBeVisible();
    await waitForAllSteps(page);
    const exit = page.getByTestId('exit-present');
    await expect(exit).toBeInViewport({ ratio: 1 });
    const box = (await exit.boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(390);
    expect(box.y + box.height).toBeLessThanOrEqual(844);
    expect(await page.evaluate(() => document.documentElement.scrollWidth - innerWidth)).toBeLessThanOrEqual(0);
    await exit.click();
    await expect(page.getByTestId('presentation')).toHaveCount(0);
  });

  test('predict → correct can be switched on in presentation: below the panels, the panels still on one screen', async ({ page }) => {
    for (const [width, height] of [[1280, 720], [1920, 1080]] as const) {
      await page.setViewportSize({ width, height });
      await page.goto(`/#img=kite&deg=blur&t=4&backend=wasm&seed=${width}&present=1`);
      await waitForAllSteps(page);
      await expect(page.getByTestId('predict-correct')).toHaveCount(0);
      await page.getByTestId('explain-toggle').click();
      await expect(page).toHaveURL(/explain=1/);
      const view = page.getByTestId('predict-correct');
      await expect(view).toBeVisible();
      await expect(page.getByTestId('tile-improved-next')).toHaveAttribute('data-ready', 'true');
      // Its top and every panel on screen, the page itself does not scroll (the view may, inside its part).
      expect((await view.boundingBox())!.y, `predict → correct at ${width}×${height}`).toBeLessThan(height * 0.75);
      for (const id of ['panel-original', 'panel-degraded', 'panel-direct', 'panel-naive', 'panel-improved', 'qr-code', 'rule-improved']) {
        await page.getByTestId(id).scrollIntoViewIfNeeded();
        const box = (await page.getByTestId(id).boundingBox())!;
        expect(box.y + box.height, `${id} at ${width}×${height}`).toBeLessThanOrEqual(height + 1);
        expect(box.x + box.width, `${id} at ${width}×${height}`).toBeLessThanOrEqual(width + 1);
        expect(box.height, `${id} at ${width}×${height}`).toBeGreaterThan(40);
      }
      const overflow = await page.evaluate(() => [document.documentElement.scrollHeight - innerHeight, document.documentElement.scrollWidth - innerWidth]);
      expect(overflow[0]).toBeLessThanOrEqual(0);
      expect(overflow[1]).toBeLessThanOrEqual(0);
      await page.getByTestId('explain-toggle').click();
      await expect(page.getByTestId('predict-correct')).toHaveCount(0);
    }
  });
});
