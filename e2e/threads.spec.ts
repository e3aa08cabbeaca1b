import { expect, test } from './fixtures';
import { waitForAllSteps } from './helpers';

// The threaded WASM build in the built (minified) bundle: it used to die in its pthread helpers
// there, so the app ran one thread (docs/design.md, "Threads in tfjs-wasm").
test.describe('WASM threads', () => {
  test('the threaded build starts in the built bundle and runs a whole restoration on 2 threads', async ({ page }) => {
    test.setTimeout(180_000);
    const problems: string[] = [];
    page.on('console', (m) => {
      if (/ReferenceError|importScripts|pthread|Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    await page.addInitScript(() => {
      (globalThis as { coldDiffusionWasmThreads?: number }).coldDiffusionWasmThreads = 2;
    });
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm&frame=0&seed=1');
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    await expect(badge).toHaveAttribute('data-threads', '2');
    await expect(badge).toHaveAttribute('title', /2 threads/);
    await waitForAllSteps(page);
    expect(problems).toEqual([]);
  });

  test('by default the count is measured from the free cores, and the badge says why', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('/#img=kite&deg=blur&t=2&backend=wasm');
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const threads = Number(await badge.getAttribute('data-threads'));
    expect(threads).toBeGreaterThanOrEqual(1);
    expect(threads).toBeLessThanOrEqual(Math.min(cores, 8));
    await expect(badge).toHaveAttribute('title', /of \d+ cores/);
    await waitForAllSteps(page);
  });

  test('without cross-origin isolation: one thread, a notice that says why, and the run still completes', async ({ page }) => {
    test.setTimeout(120_000);
    // The same files without the isolation headers, as a static host that sends none would serve them.
    await page.route('**/*', async (route) => {
      const response = await route.fetch();
      const headers = { ...response.headers() };
      delete headers['cross-origin-opener-policy'];
      delete headers['cross-origin-embedder-policy'];
      await route.fulfill({ response, headers });
    });
    await page.goto('/#img=kite&deg=blur&t=2&backend=wasm');
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(false);
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toHaveAttribute('data-threads', '1', { timeout: 60_000 });
    await expect(page.getByTestId('notices')).toContainText('cross-origin isolation');
    await waitForAllSteps(page);
  });
});
