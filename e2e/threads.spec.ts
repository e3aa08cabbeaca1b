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

  test("a return visit starts from the count its last visit measured, without the spin test, and looks again once idle", async ({ page }) => {
    test.setTimeout(180_000);
    const key = 'cold-diffusion-lab:wasm-threads';
    // First visit: the spin test runs, and its count is kept for the next one.
    await page.goto('/#img=kite&deg=blur&t=2&backend=wasm&seed=1');
    const badge = page.getByTestId('backend-badge');
    await expect(badge).toHaveAttribute('title', /of \d+ cores/, { timeout: 60_000 });
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), key)).toBe(JSON.stringify({ threads: Number(await badge.getAttribute('data-threads')), cores }));
    await waitForAllSteps(page);
    // Next visit, with 1 thread kept (as if the last visit had found a core busy): no look before the first step.
    await page.evaluate(([k, c]) => localStorage.setItem(k as string, JSON.stringify({ threads: 1, cores: c, seeded: true })), [key, cores]);
    await page.goto('about:blank');
    await page.goto('/#img=kite&deg=blur&t=2&backend=wasm&seed=2');
    await expect(badge).toHaveAttribute('title', /1 thread \(as measured on this device's last visit\)/, { timeout: 60_000 });
    await expect(badge).toHaveAttribute('data-threads', '1');
    await waitForAllSteps(page);
    const status = page.getByTestId('compute-status');
    await expect(status).toHaveAttribute('data-startup', /free cores measured/);
    const phases = JSON.parse((await status.getAttribute('data-startup'))!) as { phase: string; ms: number }[];
    // A look alone takes 110 ms or more (5 parallel rounds of about 13 ms after 3 alone, and its workers' start); the phase
    // also holds the worker's wait for its first messages.
    expect(phases.find((p) => p.phase === 'free cores measured')!.ms).toBeLessThan(100);
    // Once the run is done and the page idle, a look: what it found replaces the kept count (whatever it is on this machine).
    await expect.poll(() => page.evaluate((k) => localStorage.getItem(k), key), { timeout: 30_000 }).not.toContain('seeded');
    const kept = JSON.parse((await page.evaluate((k) => localStorage.getItem(k), key))!) as { threads: number; cores: number };
    expect(kept.cores).toBe(cores);
    expect(kept.threads).toBeGreaterThanOrEqual(1);
    expect(kept.threads).toBeLessThanOrEqual(Math.min(cores, 8));
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
