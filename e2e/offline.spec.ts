import { expect, test } from './fixtures';
import { readModelIndex } from '../src/core/model/modelIndexBuild';
import { formatMB } from '../src/core/model/offlineModels';
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

  test('"Make every model available offline", then offline: a degradation never used in the page runs from the cache; a return visit says all are there', async ({ page, context }) => {
    test.setTimeout(240_000);
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm&frame=0&seed=1');
    await waitForModel(page);
    // The size the build's model index adds up (every model folder: model.json, shards, picture pool).
    const total = formatMB(readModelIndex('public/models').totalBytes);
    const start = page.getByTestId('offline-models-start');
    await expect(start).toHaveText(`Make every model available offline (${total})`);
    // Every text the progress shows, however briefly (a local download takes a second).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressSeen: string[] }).progressSeen = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="offline-models-progress"]')?.textContent;
        if (text && text !== seen.at(-1)) seen.push(text);
      }).observe(document.querySelector('[data-testid="offline-models"]')!, { subtree: true, childList: true, characterData: true });
    });
    await start.click();
    await expect(page.getByTestId('offline-models-status')).toHaveText('All models are available offline', { timeout: 120_000 });
    await expect(start).toHaveCount(0);
    const progress = await page.evaluate(() => (window as unknown as { progressSeen: string[] }).progressSeen);
    expect(progress.length).toBeGreaterThan(0);
    for (const text of progress) expect(text).toMatch(new RegExp(`^\\d+\\.\\d / ${total.replace('.', '\\.')}$`));
    expect(progress.at(-1)).toBe(`${total.replace(' MB', '')} / ${total}`);
    const mb = progress.map((text) => Number.parseFloat(text));
    expect(mb).toEqual(mb.toSorted((x, y) => x - y));
    // Everything a run needs, the pictures animorphosis mixes in included, is in the service worker's cache.
    expect(await page.evaluate(() => caches.match('/models/animorph/pool.bin', { cacheName: 'models' }).then(Boolean))).toBe(true);

    await context.setOffline(true);
    expect(await page.evaluate(() => navigator.onLine)).toBe(false);
    await page.getByTestId('degradation').selectOption('snow');
    await page.getByTestId('t-slider').fill('3');
    await waitForAllSteps(page);
    await waitForModel(page);
    await expect(page.getByTestId('notices')).toHaveCount(0);

    // A return visit (still offline): the cache check says so at once.
    await page.reload();
    await expect(page.getByTestId('offline-models-status')).toHaveText('All models are available offline');
    await expect(start).toHaveCount(0);
    await context.setOffline(false);
  });

  test('"Make every model available offline" without a network names the file that failed; Retry, online, finishes it', async ({ page, context }) => {
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm&frame=0&seed=1');
    await waitForModel(page);
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);
    await context.setOffline(true);
    await page.getByTestId('offline-models-start').click();
    const status = page.getByTestId('offline-models-status');
    await expect(status).toHaveText(/^Could not download models\/[\w-]+\/[\w.-]+: .+\. You are offline: connect, then retry\.$/);
    await context.setOffline(false);
    await page.getByTestId('offline-models-retry').click();
    await expect(status).toHaveText('All models are available offline', { timeout: 120_000 });
  });

  test('offline, a degradation whose model was never downloaded says so, and what to do', async ({ page, context }) => {
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm&frame=0&seed=1');
    await waitForModel(page);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    // A returning visitor: the service worker answers, and has only what was used.
    await page.reload();
    await waitForModel(page);
    await expect.poll(() => page.evaluate(() => Boolean(navigator.serviceWorker.controller))).toBe(true);

    await context.setOffline(true);
    await page.getByTestId('degradation').selectOption('decolorize');
    const notices = page.getByTestId('notices');
    await expect(notices).toContainText('You are offline, and this model has not been downloaded yet', { timeout: 60_000 });
    await expect(notices).toContainText('Go online once to fetch it, or, while online, use "Make every model available offline" beforehand.');
    await expect(notices).not.toContainText('Failed to fetch');
    await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'error');
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
