import { expect, test } from './fixtures';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { canvasPixels, openMoreSettings, waitForAllSteps } from './helpers';
import { startStallServer } from './stallServer';

const dist = (p: string) => join(import.meta.dirname, '..', 'dist', p);

test.describe('reliability', () => {
  test('a stalled model download never freezes the page: others draw at once, the stall is reported, Retry recovers', async ({ page }) => {
    test.setTimeout(240_000);
    let stalling = true;
    const { url, server } = await startStallServer((path) => stalling && path === '/models/blur/group1-shard1of2.bin');
    try {
      await page.goto(`${url}#img=kite&deg=blur&t=6&backend=wasm&frame=0&fps=30&seed=1`);
      await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'loading');
      await expect(page.getByTestId('canvas-degraded')).toHaveAttribute('data-ready', 'true');
      // While blur's model hangs: another degradation draws and runs, another sample shows.
      await page.getByTestId('degradation').selectOption('inpaint');
      await waitForAllSteps(page, 120_000);
      await page.getByTestId('sample-cups').click();
      await expect(page.getByTestId('panel-original')).toContainText('Colorful cups');
      await waitForAllSteps(page, 120_000);
      // Back to blur: the held download is reported as stalled, with a Retry.
      await page.getByTestId('degradation').selectOption('blur');
      await expect(page.getByTestId('notices')).toContainText('download was stopped', { timeout: 60_000 });
      await expect(page.getByTestId('notices')).toContainText('group1-shard1of2.bin');
      await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'error');
      stalling = false;
      await page.getByTestId('model-retry').click();
      await waitForAllSteps(page, 120_000);
      await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'ready');
      // The failure's notice went away with the failure.
      await expect(page.getByTestId('notices')).toHaveCount(0);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  for (const [name, model, file, tamper] of [
    ['random bytes in a uint8 shard', 'pixelate', 'group1-shard1of1.bin', (b: Buffer) => b.map((_, i) => (i * 97 + 13) % 256)],
    ['a zeroed float16 shard', 'blur', 'group1-shard2of2.bin', (b: Buffer) => b.fill(0)],
  ] as const) {
    test(`a tampered shard of the right length is refused, naming the file: ${name}`, async ({ page }) => {
      const original = readFileSync(dist(`models/${model}/${file}`));
      const altered = tamper(Buffer.from(original)) as Buffer;
      expect(altered.length).toBe(original.length);
      expect(createHash('sha256').update(altered).digest('hex')).not.toBe(createHash('sha256').update(original).digest('hex'));
      await page.route(`**/models/${model}/${file}`, (route) => route.fulfill({ status: 200, contentType: 'application/octet-stream', body: altered }));
      await page.goto(`/#img=kite&deg=${model}&t=3&backend=wasm&frame=0&fps=30&seed=1`);
      await expect(page.getByTestId('notices')).toContainText(`${file} does not match its SHA-256 digest`, { timeout: 60_000 });
      await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'error');
      await expect(page.getByTestId('canvas-degraded')).toHaveAttribute('data-ready', 'true');
    });
  }

  test('a 10 kB link value and 1 000 unknown keys leave the layout intact', async ({ page }) => {
    await page.goto(`/#img=${'x'.repeat(10_000)}&deg=blur&t=3`);
    await expect(page.getByTestId('notices')).toContainText('10000 characters');
    const width = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(width[0]).toBeLessThanOrEqual(width[1]!);
    const close = page.getByTestId('notices').getByRole('button', { name: 'Dismiss' }).first();
    const box = (await close.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(width[1]!);
    // A new link in the same page (as when a link is pasted): its notices replace the old ones.
    await page.goto(`/#${Array.from({ length: 1000 }, (_, i) => `key${i}=1`).join('&')}`);
    await expect(page.getByTestId('notices').locator('li')).toHaveCount(1);
    await expect(page.getByTestId('notices')).toContainText('1000 unknown settings');
    const controls = (await page.getByTestId('t-slider').boundingBox())!;
    expect(controls.y).toBeLessThan(800);
  });

  test("a pasted good link clears an old link's notices; a repeated key is named", async ({ page }) => {
    await page.goto('/#t=5&t=30&zoom=2');
    await expect(page.getByTestId('notices')).toContainText('"t" is given 2 times');
    await expect(page.getByTestId('notices')).toContainText('zoom');
    await page.evaluate(() => (location.hash = '#img=cups&deg=blur&t=4&backend=wasm&frame=0&fps=8&seed=1'));
    await expect(page.getByTestId('t-value')).toHaveText('t = 4');
    await expect(page.getByTestId('notices')).toHaveCount(0);
  });

  test('the page sends its security headers and works under its Content-Security-Policy', async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/.test(m.text())) violations.push(m.text());
    });
    const response = await page.goto('/#img=ladybird&deg=blur&t=4&backend=wasm&frame=4&fps=30&seed=1&explain=1');
    const headers = response!.headers();
    expect(headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['x-frame-options']).toBe('DENY');
    await expect(page.locator('meta[http-equiv="Content-Security-Policy"]')).toHaveCount(1);
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.log(`Refused to ${e.violatedDirective} ${e.blockedURI}`)));
    await page.reload();
    await waitForAllSteps(page);
    await expect(page.getByTestId('rule-improved').locator('.katex').first()).toBeVisible();
    await page.getByTestId('model-card-link').click();
    await expect(page.getByTestId('model-card-body').locator('h1')).toBeVisible();
    const improved = await canvasPixels(page, 'canvas-improved');
    expect(improved.some((v, i) => i % 4 !== 3 && v > 0)).toBe(true);
    expect(violations).toEqual([]);
  });
});

test.describe('reliability: parts and files', () => {
  test('a part that fails shows what broke and leaves the rest of the page working', async ({ page }) => {
    // Without ResizeObserver the chart cannot lay itself out and throws.
    await page.addInitScript(() => delete (window as { ResizeObserver?: unknown }).ResizeObserver);
    await page.goto('/#img=kite&deg=blur&t=3&backend=wasm&frame=0&fps=30&seed=1');
    // A chart is built when it first comes into view.
    await page.evaluate(() => document.querySelector('[data-testid=error-chart]')?.scrollIntoView());
    await expect(page.getByTestId('part-failed')).toContainText('error chart could not be shown');
    await waitForAllSteps(page);
    await expect(page.getByTestId('canvas-improved')).toHaveAttribute('data-ready', 'true');
  });

  test('an SVG is refused with a plain reason and the current image stays', async ({ page }) => {
    await page.goto('/#img=kite&deg=blur&t=3&backend=wasm&frame=0&fps=30&seed=1');
    await waitForAllSteps(page);
    const before = await canvasPixels(page, 'canvas-original');
    await page.getByTestId('file-input').setInputFiles({ name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>') });
    await expect(page.getByTestId('notices')).toContainText('SVG drawing, which is not supported');
    expect(await canvasPixels(page, 'canvas-original')).toEqual(before);
  });

  test('dropping many files says which one is used', async ({ page }) => {
    await page.goto('/#img=kite&deg=blur&t=3&backend=wasm&frame=0&fps=30&seed=1');
    await waitForAllSteps(page);
    const png = readFileSync(dist('samples/cups.png'));
    const transfer = await page.evaluateHandle((bytes) => {
      const dt = new DataTransfer();
      for (let i = 0; i < 20; i++) dt.items.add(new File([new Uint8Array(bytes)], `photo-${i}.png`, { type: 'image/png' }));
      return dt;
    }, [...png]);
    await page.dispatchEvent('body', 'dragenter', { dataTransfer: transfer });
    await page.dispatchEvent('body', 'drop', { dataTransfer: transfer });
    await expect(page.getByTestId('notices')).toContainText('20 files were dropped; the first, "photo-0.png", is used.');
    await expect(page.getByTestId('panel-original')).toContainText('photo-0.png');
  });
});

test.describe('reliability: a lost GPU', () => {
  test('a WebGL context lost mid-run hands the run to the next backend, with a notice', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto('/#img=kite&deg=snow&t=3&backend=wasm&frame=0&fps=30&seed=1');
    await waitForAllSteps(page);
    // Keep hold of the WebGL contexts the worker creates from now on, to lose one later.
    const worker = page.workers()[0]!;
    await worker.evaluate(() => {
      const scope = self as unknown as { lostContexts: WebGLRenderingContext[] };
      scope.lostContexts = [];
      const original = OffscreenCanvas.prototype.getContext;
      OffscreenCanvas.prototype.getContext = function (this: OffscreenCanvas, ...args: Parameters<typeof original>) {
        const ctx = original.apply(this, args);
        if (ctx && String(args[0]).startsWith('webgl')) scope.lostContexts.push(ctx as unknown as WebGLRenderingContext);
        return ctx;
      } as typeof original;
    });
    await openMoreSettings(page);
    await page.getByTestId('backend').selectOption('webgl');
    await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgl', { timeout: 120_000 });
    await expect(page.getByTestId('compute-status')).toContainText(/computed [12] \/ 3/, { timeout: 200_000 });
    const lost = await worker.evaluate(() => {
      const scope = self as unknown as { lostContexts: WebGLRenderingContext[] };
      for (const gl of scope.lostContexts) gl.getExtension('WEBGL_lose_context')?.loseContext();
      return scope.lostContexts.length;
    });
    expect(lost).toBeGreaterThan(0);
    await expect(page.getByTestId('notices')).toContainText('WebGL stopped working', { timeout: 120_000 });
    await expect(page.getByTestId('backend-badge')).not.toHaveAttribute('data-backend', 'webgl');
    await waitForAllSteps(page, 120_000);
  });
});

test.describe('reliability: soak', () => {
  test('100 runs back to back across degradations and backends, clicking fast: tensors and memory back to their baseline', async ({ page }) => {
    test.setTimeout(600_000);
    const memory = async () => {
      const status = page.getByTestId('compute-status');
      return [Number(await status.getAttribute('data-tensors')), Number(await status.getAttribute('data-bytes'))];
    };
    /** Ends on the same three models in the same order, at t = 2, so the caches hold the same things. */
    const settle = async () => {
      for (const deg of ['inpaint', 'snow', 'blur']) {
        await page.getByTestId('degradation').selectOption(deg);
        await page.getByTestId('t-slider').fill('2');
        await waitForAllSteps(page, 120_000);
      }
      // The memory report follows each run's clean-up.
      await expect.poll(async () => (await memory())[0], { timeout: 20_000 }).toBeGreaterThan(0);
      await page.waitForTimeout(500);
      return memory();
    };
    await page.goto('/#img=kite&deg=blur&t=2&backend=wasm&frame=0&fps=30&seed=1');
    await waitForAllSteps(page, 120_000);
    const baseline = await settle();
    const degradations = ['blur', 'pixelate', 'inpaint', 'snow', 'decolorize', 'noise'];
    const samples = ['kite', 'cups', 'ladybird', 'forest'];
    for (let i = 0; i < 100; i++) {
      await page.getByTestId('degradation').selectOption(degradations[i % degradations.length]!);
      if (i % 3 === 0) await page.getByTestId(`sample-${samples[i % samples.length]}`).click();
      if (i % 4 === 1) await page.getByTestId('t-slider').fill(String(1 + (i % 3)));
      if (i % 25 === 12) {
        await openMoreSettings(page);
        await page.getByTestId('backend').selectOption('cpu');
        await page.waitForTimeout(300);
        await openMoreSettings(page);
        await page.getByTestId('backend').selectOption('wasm');
      }
      if (i % 10 === 9) await waitForAllSteps(page, 120_000);
      else await page.waitForTimeout(200);
    }
    await page.getByTestId('sample-kite').click();
    expect(await settle()).toEqual(baseline);
  });
});
