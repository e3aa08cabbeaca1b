import { expect, test, type Page } from '@playwright/test';
import { canvasPixels, meanAbsDiff, waitForAllSteps } from './helpers';

/** The last frame, by the End key (which a focused button or field would keep for itself). */
async function toLastFrame(page: Page, frame: number): Promise<void> {
  await page.locator('h1').first().click();
  await page.keyboard.press('End');
  await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', String(frame));
}

/** Training runs on WASM here, as the issue asks (the e2e machine's GPU is a software one). */
async function waitForWasm(page: Page): Promise<void> {
  await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'wasm', { timeout: 60_000 });
}

test.describe('your own transform', () => {
  test('build a two-block transform by clicking and painting: the strip follows each edit, and the link carries it', async ({ page, browser }) => {
    await page.goto('/');
    await page.getByTestId('mode-own').click();
    await expect(page.getByTestId('own-builder')).toBeVisible();
    await expect(page).toHaveURL(/mode=own/);
    // A painted mask as the first block, then a motion blur.
    await page.getByTestId('own-preset-scratch').click();
    await expect(page.getByTestId('mask-painter')).toBeVisible();
    await expect(page.getByTestId('strip-canvas-20')).toBeVisible({ timeout: 60_000 });
    const before = await canvasPixels(page, 'strip-canvas-20');
    const box = (await page.getByTestId('mask-canvas').boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.2, box.y + box.height * 0.8);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5, { steps: 8 });
    await page.mouse.move(box.x + box.width * 0.8, box.y + box.height * 0.2, { steps: 8 });
    await page.mouse.up();
    await expect.poll(async () => meanAbsDiff(before, await canvasPixels(page, 'strip-canvas-20')), { timeout: 30_000 }).toBeGreaterThan(1);
    const painted = await canvasPixels(page, 'strip-canvas-20');
    await page.getByTestId('own-add').selectOption('motion');
    await expect(page.getByTestId('own-block-1')).toContainText('Motion blur');
    await expect.poll(async () => meanAbsDiff(painted, await canvasPixels(page, 'strip-canvas-20')), { timeout: 30_000 }).toBeGreaterThan(1);
    await expect(page).toHaveURL(/own=20~mask\.l\.[0-9a-f]{6}\.0\.[A-Za-z0-9_-]+~motion\.l\.16\.0/);

    // The link opens the same transform in a fresh context: the same strip, pixel for pixel.
    const mine = await canvasPixels(page, 'strip-canvas-20');
    const other = await (await browser.newContext()).newPage();
    await other.goto(page.url());
    await expect(other.getByTestId('own-block-1')).toContainText('Motion blur');
    await expect(other.getByTestId('strip-canvas-20')).toBeVisible({ timeout: 60_000 });
    await expect.poll(async () => meanAbsDiff(mine, await canvasPixels(other, 'strip-canvas-20')), { timeout: 30_000 }).toBeLessThan(0.01);
  });

  test('train 30 s on WASM: the held-out error falls, the preview changes, the page answers meanwhile; naive and improved then run on the trained restorer', async ({ page }) => {
    await page.goto('/#mode=own&own=20~gauss.l.4.4.0~darken.l.60&t=10&steps=10&budget=30&backend=wasm');
    await waitForWasm(page);
    await expect(page.getByTestId('panels-note')).toContainText(/press Train/i, { timeout: 60_000 });
    await page.getByTestId('train').click();
    const status = page.getByTestId('training-status');
    await expect(status).toHaveAttribute('data-status', 'running', { timeout: 60_000 });
    await expect(page.getByTestId('training-preview')).toBeVisible({ timeout: 60_000 });
    const firstPreview = await canvasPixels(page, 'preview-direct');

    // While it trains, the controls answer within 100 ms: no long task blocks the page.
    const longest = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          let worst = 0;
          new PerformanceObserver((list) => list.getEntries().forEach((e) => (worst = Math.max(worst, e.duration)))).observe({ type: 'longtask', buffered: false });
          setTimeout(() => resolve(worst), 8000);
        }),
    );
    const slider = page.getByTestId('t-slider');
    const started = Date.now();
    await slider.fill('12');
    await expect(page.getByTestId('t-value')).toHaveText('t = 12');
    const answered = Date.now() - started;
    console.log(`while training: longest task ${longest.toFixed(0)} ms; the step slider answered in ${answered} ms`);
    expect(longest).toBeLessThan(100);

    await page.getByTestId('training-pause').click();
    await expect(status).toHaveAttribute('data-status', 'paused');
    const pausedAt = Number(await status.getAttribute('data-steps'));
    await page.waitForTimeout(1500);
    expect(Number(await status.getAttribute('data-steps'))).toBe(pausedAt);
    await page.getByTestId('training-resume').click();
    await expect(status).toHaveAttribute('data-status', 'running');
    await expect(status).toHaveAttribute('data-status', 'done', { timeout: 120_000 });

    const chart = page.getByTestId('loss-chart');
    const [first, last] = [Number(await chart.getAttribute('data-first')), Number(await chart.getAttribute('data-last'))];
    console.log(`loss: mean of the first quarter of the steps ${first.toFixed(4)}, of the last quarter ${last.toFixed(4)}`);
    // Single steps' losses jump with their t and crops; the held-out error at one t does not: it is measured at
    // step 0 (the identity: one call = input) and every few seconds after. It falls: one call beats its input.
    const evaluations = JSON.parse((await page.getByTestId('psnr-chart').getAttribute('data-evaluations')) ?? '[]') as { steps: number; input: number; direct: number }[];
    console.log(`held out: ${evaluations.map((e) => `step ${e.steps}: input ${e.input.toFixed(1)} → one call ${e.direct.toFixed(1)}`).join('; ')}`);
    expect(evaluations[0]!.steps).toBe(0);
    expect(Math.abs(evaluations[0]!.direct - evaluations[0]!.input)).toBeLessThan(0.01);
    expect(evaluations.at(-1)!.direct).toBeGreaterThan(evaluations[0]!.direct + 1);
    expect(meanAbsDiff(firstPreview, await canvasPixels(page, 'preview-direct'))).toBeGreaterThan(0.5);
    await expect(page.getByTestId('training-snapshots')).toContainText('at 10 s');

    // The panels run on the trained restorer: every step, both samplers.
    await waitForAllSteps(page);
    await expect(page.getByTestId('panels-note')).toHaveCount(0);
    await toLastFrame(page, 12);
    await page.screenshot({ path: test.info().outputPath('trained.png'), fullPage: true });
    const naive = await canvasPixels(page, 'canvas-naive');
    const improved = await canvasPixels(page, 'canvas-improved');
    expect(meanAbsDiff(naive, improved)).toBeGreaterThan(0.5);
    await page.getByTestId('snapshot-early').click();
    await expect(page).toHaveURL(/restorer=early/);
    await waitForAllSteps(page);
  });

  test('a downloaded restorer opens in a fresh context with the same pixels; a tampered one is refused with a notice and nothing is lost', async ({ page, browser }) => {
    await page.goto('/#mode=own&own=10~darken.l.70&t=5&steps=5&budget=30&backend=wasm');
    await waitForWasm(page);
    await page.getByTestId('train').click();
    await expect(page.getByTestId('training-snapshots')).toBeVisible({ timeout: 90_000 });
    await page.getByTestId('training-stop').click();
    await expect(page.getByTestId('training-status')).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 });
    await waitForAllSteps(page);
    await toLastFrame(page, 5);
    const mine = await canvasPixels(page, 'canvas-improved');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('own-model-download').click()]);
    const file = test.info().outputPath('restorer.zip');
    await download.saveAs(file);

    const other = await (await browser.newContext({ reducedMotion: 'reduce' })).newPage();
    await other.goto('/#backend=wasm');
    await waitForWasm(other);
    await other.getByTestId('mode-own').click();
    await other.getByTestId('own-model-open').setInputFiles(file);
    await expect(other.getByTestId('own-model-opened')).toContainText('restorer.zip');
    await expect(other).toHaveURL(/own=10~darken\.l\.70/);
    await other.getByTestId('t-slider').fill('5');
    await waitForAllSteps(other);
    await toLastFrame(other, 5);
    expect(meanAbsDiff(mine, await canvasPixels(other, 'canvas-improved'))).toBe(0);

    // One byte changed in the weights: the digest refuses it, and the restorer in use stays.
    const { readFileSync, writeFileSync } = await import('node:fs');
    const { unzipSync, zipSync } = await import('fflate');
    const entries = unzipSync(readFileSync(file));
    entries['weights.bin']![123]! ^= 0x40;
    const tampered = test.info().outputPath('tampered.zip');
    writeFileSync(tampered, zipSync(entries));
    await other.getByTestId('own-model-open').setInputFiles(tampered);
    await expect(other.getByTestId('notices')).toContainText('does not match its SHA-256 digest');
    await expect(other.getByTestId('own-model-opened')).toContainText('restorer.zip');
  });

  test('start from the shipped Blur restorer: kept for a blur like its own (step 0 already restores), refused for another, with the figures', async ({ page }) => {
    // σ 8 ease-out is σ 6 at t = 10, about the blur the shipped restorer undoes at its own T/2.
    await page.goto('/#mode=own&own=20~gauss.o.8.8.0&t=10&steps=10&budget=30&backend=wasm');
    await waitForWasm(page);
    await page.getByTestId('training-warm').selectOption('blur');
    await expect(page).toHaveURL(/warm=blur/);
    await page.getByTestId('train').click();
    const status = page.getByTestId('training-status');
    await expect(status).toContainText(/Starts from the shipped blur restorer: its one call at t = 10 gives [\d.]+ dB on the held-out pictures, the input [\d.]+ dB/, { timeout: 90_000 });
    await expect(page.getByTestId('training-network')).toContainText('shipped (48-96-128-128 channels');
    const chart = page.getByTestId('psnr-chart');
    await expect(chart).toHaveAttribute('data-evaluations', /"steps":0/, { timeout: 90_000 });
    const [atStart] = JSON.parse((await chart.getAttribute('data-evaluations')) ?? '[]') as { steps: number; input: number; direct: number }[];
    console.log(`warm start, step 0 held out: input ${atStart!.input.toFixed(2)} → one call ${atStart!.direct.toFixed(2)} dB`);
    expect(atStart!.direct).toBeGreaterThan(atStart!.input + 0.5);
    await page.getByTestId('training-stop').click();
    await expect(status).toHaveAttribute('data-status', 'stopped', { timeout: 60_000 });

    // The issue's anisotropic blur: the shipped restorer makes it worse, so a new network trains.
    await page.goto('/#mode=own&own=20~gauss.l.6.1.30&t=10&budget=30&backend=wasm&warm=blur');
    await page.reload();
    await waitForWasm(page);
    await expect(page.getByTestId('training-warm')).toHaveValue('blur');
    await page.getByTestId('train').click();
    await expect(page.getByTestId('training-status')).toContainText(/The shipped blur restorer does not fit this transform \(its one call at t = 10 gives [\d.]+ dB on the held-out pictures(?: if told t = \d+ \(told 10: [\d.]+ dB\))?, the input [\d.]+ dB\), so a new network trains/, { timeout: 90_000 });
    await expect(page.getByTestId('training-network')).not.toContainText('shipped');
    await page.getByTestId('training-stop').click();
  });

  test('a hostile transform in the link: a notice says what was dropped, and what is valid stays', async ({ page }) => {
    await page.goto('/#mode=own&own=99~kettle.l.1~gauss.l.NaN.2.3~darken.l.500');
    await expect(page.getByTestId('notices')).toContainText(/not a known block/);
    await expect(page.getByTestId('own-T')).toHaveText('T = 50');
    await expect(page.getByTestId('own-block-0')).toContainText('Gaussian blur');
    await expect(page.getByTestId('own-block-1')).toContainText('Darken');
    await expect(page.getByTestId('own-block-2')).toHaveCount(0);
  });
});
