import { expect, test } from './fixtures';
import { waitForAllSteps, waitForModel } from './helpers';

test.describe('offline and installable', () => {
  test.use({ serviceWorkers: 'allow' });
  test('after one visit, a reload with the network off still restores an image (app, WASM and the model from the service worker)', async ({ page, context }) => {
    test.setTimeout(180_000);
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm&frame=0&seed=1');
    await waitForModel(page);
    await waitForAllSteps(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // The first visit ran before the worker controlled the page: one more online load puts
    // the model through it (what any second visit does).
    await page.reload();
    await waitForAllSteps(page);
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);

    await context.setOffline(true);
    await page.goto('/#img=ladybird&deg=blur&t=3&backend=wasm&frame=0&seed=2');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Cold Diffusion Lab' })).toBeVisible();
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    // Still cross-origin isolated from the cache: the threaded WASM build can start.
    expect(await page.evaluate(() => self.crossOriginIsolated)).toBe(true);
    await waitForModel(page);
    await waitForAllSteps(page);
    await expect(page.getByTestId('panel-original')).toContainText('Ladybird');
    await context.setOffline(false);
  });

  test('the app can be installed: a web manifest with name, icons and standalone display', async ({ page, request }) => {
    await page.goto('/');
    const href = await page.locator('link[rel="manifest"]').getAttribute('href');
    expect(href).toBeTruthy();
    const manifest = await (await request.get(href!)).json();
    expect(manifest.name).toBe('Cold Diffusion Lab');
    expect(manifest.display).toBe('standalone');
    const sizes = (manifest.icons as { sizes: string }[]).map((i) => i.sizes);
    expect(sizes).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest.icons as { src: string }[]) expect((await request.get(icon.src)).status()).toBe(200);
  });
});
