import { expect, test } from './fixtures';
import { canvasPixels, waitForAllSteps, waitForModel } from './helpers';

// The camera is stubbed in the page: a canvas stream stands in for a webcam (a real MediaStream,
// through the same video element and capture), and refusals are the errors browsers raise.
test.describe('camera', () => {
  test('a photo from the camera becomes the image, stays on this device, and restores', async ({ page }) => {
    await page.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = async () => {
        const c = document.createElement('canvas');
        c.width = 320;
        c.height = 240;
        const ctx = c.getContext('2d')!;
        const draw = () => {
          ctx.fillStyle = '#2255cc';
          ctx.fillRect(0, 0, 320, 240);
          ctx.fillStyle = '#ffdd00';
          ctx.fillRect(120, 80, 80, 80);
          requestAnimationFrame(draw);
        };
        draw();
        return c.captureStream(30);
      };
    });
    await page.goto('/#img=forest&deg=blur&t=4&backend=wasm');
    await waitForModel(page);
    await page.getByTestId('open-camera').click();
    await expect(page.getByTestId('camera')).toBeVisible();
    await expect.poll(() => page.locator('video').evaluate((v) => (v as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);
    await page.getByTestId('take-photo').click();
    await expect(page.getByText('showing')).toContainText('camera photo');
    await expect(page.getByTestId('camera')).toHaveCount(0);
    const original = await canvasPixels(page, 'canvas-original');
    const centre = (64 * 128 + 64) * 4;
    expect(original.slice(centre, centre + 3)).toEqual([255, 221, 0]); // the yellow square, centre crop
    await expect(page).not.toHaveURL(/camera/);
    await waitForAllSteps(page);
  });

  for (const [error, says] of [
    ['NotAllowedError', 'permission to use the camera was denied'],
    ['NotFoundError', 'no camera was found'],
  ] as const) {
    test(`${error}: a clear notice, and the current image stays`, async ({ page }) => {
      await page.addInitScript((name) => {
        navigator.mediaDevices.getUserMedia = async () => {
          throw new DOMException('refused', name);
        };
      }, error);
      await page.goto('/#img=forest&deg=blur&t=4&backend=wasm');
      await expect(page.getByTestId('canvas-original')).toHaveAttribute('data-ready', 'true');
      const before = await canvasPixels(page, 'canvas-original');
      await page.getByTestId('open-camera').click();
      await expect(page.getByTestId('notices')).toContainText(says);
      await expect(page.getByTestId('notices')).toContainText('Your current image stays');
      expect(await canvasPixels(page, 'canvas-original')).toEqual(before);
      await expect(page.getByTestId('sample-forest')).toHaveAttribute('aria-checked', 'true');
    });
  }
});
