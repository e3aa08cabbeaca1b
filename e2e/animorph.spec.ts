import { expect, test } from './fixtures';
import { canvasPixels, meanAbsDiff, openMoreSettings, waitForAllSteps, waitForModel } from './helpers';

test.describe('animorphosis', () => {
  test('shows which picture the seed mixes in, that picture is what x_T is, and the trained model takes it back out', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('/#img=kite&deg=animorph&t=25&seed=1&backend=wasm&frame=0&fps=30');
    const mixedIn = page.getByTestId('mixed-in');
    await expect(mixedIn).toBeVisible({ timeout: 60_000 });
    await expect(mixedIn).toContainText('picture 2 of 4');
    await expect(mixedIn).toContainText('Kleiber by Lukas Baubkus');
    // All that is left at t = T is the mixed-in picture.
    await expect(page.getByTestId('strip-canvas-50')).toHaveAttribute('data-ready', 'true');
    expect(meanAbsDiff(await canvasPixels(page, 'strip-canvas-50'), await canvasPixels(page, 'mixed-in-canvas'))).toBeLessThan(1);

    await waitForModel(page);
    await waitForAllSteps(page);
    await page.getByTestId('play').click();
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '25', { timeout: 60_000 });
    const original = await canvasPixels(page, 'canvas-original');
    const degraded = await canvasPixels(page, 'canvas-degraded');
    const improved = await canvasPixels(page, 'canvas-improved');
    expect(meanAbsDiff(improved, original)).toBeLessThan(0.5 * meanAbsDiff(degraded, original));
    // The samplers estimate z, so naive and improved take the same steps.
    expect(meanAbsDiff(await canvasPixels(page, 'canvas-naive'), improved)).toBeLessThan(1);

    // Another seed, another picture, in the link.
    await openMoreSettings(page);
    await page.getByTestId('seed').fill('3');
    await expect(page).toHaveURL(/seed=3/);
    await expect(mixedIn).toContainText('picture 4 of 4');
    await expect(mixedIn).toContainText('Picture 0B');
  });

  test('a pool file that does not arrive is reported, and other degradations go on', async ({ page }) => {
    await page.route('**/models/animorph/pool.bin', (route) => route.fulfill({ status: 404, body: 'not here' }));
    await page.goto('/#img=kite&deg=animorph&t=10&backend=wasm');
    await expect(page.getByTestId('notices')).toContainText(/pool\.bin/, { timeout: 60_000 });
    await page.getByTestId('degradation').selectOption('blur');
    await waitForModel(page);
    await expect(page.getByTestId('canvas-degraded')).toHaveAttribute('data-ready', 'true');
  });
});
