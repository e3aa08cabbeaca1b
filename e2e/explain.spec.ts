import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { canvasPixels, currentFrame, meanAbsDiff, waitForAllSteps } from './helpers';

const dbOf = async (page: Page, id: string) => {
  const text = (await page.getByTestId(id).textContent()) ?? '';
  // Identical pictures read "exact" (the panels) or "∞" (the chart).
  if (text.includes('∞') || text.includes('exact')) return Infinity;
  return Number(/(-?[\d.]+) dB/.exec(text)?.[1]);
};

test.describe('why improved sampling works', () => {
  test('the timeline scrubs back and forth without recomputing, and every panel follows', async ({ page }) => {
    await page.goto('/#img=kite&deg=blur&t=8&backend=wasm&frame=0&fps=30&seed=1');
    await waitForAllSteps(page);
    const scrubber = page.getByTestId('scrubber');
    await scrubber.fill('8');
    await expect(page).toHaveURL(/frame=8/);
    const end = { naive: await canvasPixels(page, 'canvas-naive'), improved: await canvasPixels(page, 'canvas-improved') };
    await scrubber.fill('2');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '2');
    await expect(page).toHaveURL(/frame=2/);
    const early = { naive: await canvasPixels(page, 'canvas-naive'), improved: await canvasPixels(page, 'canvas-improved') };
    expect(meanAbsDiff(early.naive, end.naive)).toBeGreaterThan(0.5);
    expect(meanAbsDiff(early.improved, end.improved)).toBeGreaterThan(0.5);
    // Back to the end: the very same pixels, and nothing was recomputed.
    await page.getByTestId('frame-counter').click();
    await page.keyboard.press('End');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '8');
    expect(await canvasPixels(page, 'canvas-naive')).toEqual(end.naive);
    expect(await canvasPixels(page, 'canvas-improved')).toEqual(end.improved);
    await expect(page.getByTestId('compute-status')).toContainText('all steps computed');
    await page.keyboard.press('ArrowLeft');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '6');
    await page.keyboard.press('ArrowRight');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '7');
    await page.keyboard.press('Home');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '0');
    // Playing from the end starts over.
    await page.keyboard.press('End');
    await page.getByTestId('play').click();
    await expect.poll(() => currentFrame(page), { timeout: 20_000 }).toBeLessThan(8);
    await expect.poll(() => currentFrame(page), { timeout: 20_000 }).toBe(8);
    // The frame travels in the link: a fresh page opens at the same frame.
    await scrubber.fill('3');
    const link = page.url();
    const again = await page.context().newPage();
    await again.goto(link);
    await waitForAllSteps(again);
    await expect(again.getByTestId('frame-counter')).toHaveAttribute('data-frame', '3');
    expect(await canvasPixels(again, 'canvas-improved')).toEqual(await canvasPixels(page, 'canvas-improved'));
  });

  for (const [deg, half] of [
    ['blur', 20],
    ['inpaint', 25],
  ] as const) {
    test(`the oracle restorer gives both samplers the original back (${deg}, t = T/2)`, async ({ page }) => {
      await page.goto(`/#img=cups&deg=${deg}&t=${half}&backend=wasm&frame=${half}&fps=30&seed=3&restorer=oracle`);
      await expect(page.getByTestId('restorer')).toHaveValue('oracle');
      await waitForAllSteps(page);
      expect(await dbOf(page, 'psnr-naive')).toBeGreaterThanOrEqual(60);
      expect(await dbOf(page, 'psnr-improved')).toBeGreaterThanOrEqual(60);
      expect(await dbOf(page, 'psnr-direct')).toBeGreaterThanOrEqual(60);
      const original = await canvasPixels(page, 'canvas-original');
      expect(await canvasPixels(page, 'canvas-improved')).toEqual(original);
      expect(await canvasPixels(page, 'canvas-naive')).toEqual(original);
      // The chart says so: exact (∞), not 120 dB, drawn just above the finite values, so its axis stays theirs.
      const chart = page.getByTestId('chart-psnr');
      // A chart is built when it first comes into view.
      await chart.scrollIntoViewIfNeeded();
      await expect(chart.getByTestId('chart-psnr-exact')).toContainText('exact (∞)');
      await expect(chart.locator('.u-legend .u-value').nth(1)).toHaveText('exact (∞)');
      await expect(chart.locator('.u-legend .u-value').nth(2)).toHaveText('exact (∞)');
      expect(Number(await chart.getAttribute('data-cap'))).toBeLessThan(100);
    });
  }

  test('with the earliest blur checkpoint from t = T/2, improved sampling still restores while naive breaks', async ({ page }) => {
    test.setTimeout(300_000);
    await page.goto('/#img=ladybird&deg=blur&t=20&backend=wasm&frame=20&fps=30&seed=1&restorer=early');
    await expect(page.getByTestId('restorer')).toHaveValue('early');
    await waitForAllSteps(page, 280_000);
    const naive = await dbOf(page, 'psnr-naive');
    const improved = await dbOf(page, 'psnr-improved');
    expect(improved).toBeGreaterThanOrEqual(naive + 2);
    // A checkpoint only where one is shipped: none for pixelate, so the link falls back with a notice.
    await page.goto('/#img=ladybird&deg=pixelate&t=2&backend=wasm&frame=0&fps=30&seed=1&restorer=early');
    await expect(page.getByTestId('notices')).toContainText('no early checkpoint is shipped for pixelate');
    await expect(page.getByTestId('restorer')).toHaveValue('trained');
  });

  test('predict → correct shows the tensors the update used, with the rules typeset', async ({ page }) => {
    await page.goto('/#img=ladybird&deg=blur&t=10&backend=wasm&frame=4&fps=30&seed=1&explain=1');
    await waitForAllSteps(page);
    const view = page.getByTestId('predict-correct');
    await expect(view).toBeVisible();
    await expect(view).toContainText('step s = 7 → 6');
    for (const id of ['rule-naive', 'rule-improved', 'rule-estimate']) {
      await expect(page.getByTestId(id).locator('.katex').first()).toBeVisible();
      await expect(page.getByTestId(id).locator('.katex-error')).toHaveCount(0);
    }
    // Improved: x_{s−1} = x_s − D(x̂0, s) + D(x̂0, s−1), read back from the tiles (to rounding).
    const [xs, atS, atPrev, next] = await Promise.all(['xs', 'atS', 'atPrev', 'next'].map((p) => canvasPixels(page, `tile-improved-${p}`)));
    let checked = 0;
    let worst = 0;
    for (let i = 0; i < next!.length; i++) {
      const values = [xs![i]!, atS![i]!, atPrev![i]!, next![i]!];
      if (i % 4 === 3 || values.some((v) => v === 0 || v === 255)) continue; // alpha, clipped
      worst = Math.max(worst, Math.abs(next![i]! - (xs![i]! - atS![i]! + atPrev![i]!)));
      checked++;
    }
    expect(checked).toBeGreaterThan(10_000);
    expect(worst).toBeLessThanOrEqual(2);
    // Naive: x_{s−1} is D(x̂0, s−1) itself. The x_s tile is the previous frame's state.
    expect(await canvasPixels(page, 'tile-naive-next')).toEqual(await canvasPixels(page, 'tile-naive-atPrev'));
    await page.getByTestId('scrubber').fill('3');
    const previous = await canvasPixels(page, 'canvas-improved');
    await page.getByTestId('scrubber').fill('4');
    expect(await canvasPixels(page, 'tile-improved-xs')).toEqual(previous);
    // The toggle is in the link.
    await page.getByTestId('explain-toggle').click();
    await expect(view).toHaveCount(0);
    await expect(page).toHaveURL(/explain=0/);
  });

  test("the step's pictures made in a second worker equal those made on the sampler's thread: tiles, panels, figures and charts", async ({ browser }) => {
    test.setTimeout(180_000);
    const url = '/#img=ladybird&deg=blur&t=8&backend=wasm&frame=0&fps=30&seed=1&explain=1';
    const seen = async (paintAside: boolean) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (!paintAside) await page.addInitScript(() => ((globalThis as { coldDiffusionPaintAside?: boolean }).coldDiffusionPaintAside = false));
      await page.goto(url);
      await waitForAllSteps(page);
      const profile = JSON.parse((await page.getByTestId('compute-status').getAttribute('data-step-profile')) ?? '{}') as { aside?: number };
      const frames: unknown[] = [];
      for (const frame of ['1', '5', '8']) {
        await page.getByTestId('scrubber').fill(frame);
        await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', frame);
        const tiles = await Promise.all(['naive', 'improved'].flatMap((k) => ['xs', 'x0', 'atS', 'atPrev', 'residual', 'next'].map((p) => `tile-${k}-${p}`)).map((id) => canvasPixels(page, id)));
        const panels = await Promise.all(['canvas-naive', 'canvas-improved', 'canvas-direct'].map((id) => canvasPixels(page, id)));
        const figures = await Promise.all(['psnr-naive', 'psnr-improved', 'psnr-direct'].map((id) => page.getByTestId(id).textContent()));
        expect(figures.every((text) => /dB/.test(text ?? ''))).toBe(true);
        frames.push({ tiles, panels, figures });
      }
      const charts = await Promise.all(['chart-psnr', 'chart-drift'].map((id) => page.getByTestId(id).getAttribute('data-series-points')));
      await context.close();
      return { aside: profile.aside ?? 0, frames, charts };
    };
    const [aside, here] = [await seen(true), await seen(false)];
    expect(aside.aside).toBeGreaterThan(0);
    expect(here.aside).toBe(0);
    expect(aside.frames).toEqual(here.frames);
    expect(aside.charts).toEqual(here.charts);
  });

  test('the error chart holds one point per step, reads values on hover and seeks on click', async ({ page }) => {
    await page.goto('/#img=kite&deg=blur&t=12&backend=wasm&frame=0&fps=30&seed=1');
    await waitForAllSteps(page);
    for (const id of ['chart-psnr', 'chart-drift']) await expect(page.getByTestId(id)).toHaveAttribute('data-points', '13');
    await page.getByTestId('chart-psnr').scrollIntoViewIfNeeded();
    const over = page.getByTestId('chart-psnr').locator('.u-over');
    const box = (await over.boundingBox())!;
    await over.hover({ position: { x: box.width * 0.75, y: box.height / 2 } });
    await expect(page.getByTestId('chart-psnr').locator('.u-legend .u-value').nth(1)).toHaveText(/^\d+\.\d$/);
    await over.click({ position: { x: box.width * 0.75, y: box.height / 2 } });
    await expect.poll(() => currentFrame(page)).toBe(9);
  });

  test('generating, the chart shows what can be measured and says why the rest is missing; no oracle', async ({ page }) => {
    await page.goto('/#mode=generate&img=kite&deg=blur&t=20&backend=wasm&frame=0&fps=30&seed=2');
    await waitForAllSteps(page);
    await expect(page.getByTestId('chart-residual')).toHaveAttribute('data-points', '20');
    await expect(page.getByTestId('chart-note')).toContainText('no original');
    await expect(page.getByTestId('restorer').locator('option[value="oracle"]')).toBeDisabled();
  });
});

test.describe('the forward process and words', () => {
  test('the strip shows D(x0, t) from 0 to T, marks the current t, and clicking one sets t', async ({ page }) => {
    await page.goto('/#img=kite&deg=blur&t=20&backend=wasm&frame=0&fps=30&seed=1');
    const strip = page.getByTestId('forward-strip');
    await expect(strip.locator('button')).toHaveCount(8);
    await expect(page.getByTestId('strip-0')).toBeVisible();
    await expect(page.getByTestId('strip-40')).toBeVisible();
    await expect(page.getByTestId('strip-marker')).toContainText('t = 20');
    // t = 0 is the original itself; t = T is the most degraded.
    await expect(page.getByTestId('strip-canvas-0')).toHaveAttribute('data-ready', 'true');
    expect(await canvasPixels(page, 'strip-canvas-0')).toEqual(await canvasPixels(page, 'canvas-original'));
    await page.getByTestId('strip-17').click();
    await expect(page.getByTestId('t-value')).toHaveText('t = 17');
    await expect(page).toHaveURL(/t=17/);
    await expect(page.getByTestId('strip-marker')).toContainText('t = 17');
    await expect(page.getByTestId('strip-17')).toHaveAttribute('aria-pressed', 'true');
    // The degraded panel now shows D(x0, 17), the strip's picture.
    await expect.poll(async () => meanAbsDiff(await canvasPixels(page, 'canvas-degraded'), await canvasPixels(page, 'strip-canvas-17'))).toBeLessThan(0.01);
  });

  test('"What am I looking at" speaks of what is on screen, and the model card opens rendered in the page', async ({ page }) => {
    await page.goto('/#img=kite&deg=inpaint&t=25&backend=wasm&frame=3&fps=30&seed=1&restorer=oracle');
    await page.getByText('What am I looking at?').click();
    await expect(page.getByTestId('right-now')).toContainText('hole (inpaint)');
    await expect(page.getByTestId('right-now')).toContainText('t = 25 of 50');
    await expect(page.getByTestId('right-now')).toContainText('oracle');
    await expect(page.getByTestId('right-now')).toContainText('step s = 22');
    await expect(page.locator('a[href*="arxiv.org/abs/2208.09392"]').first()).toBeVisible();
    await page.getByTestId('model-card-link').click();
    const card = page.getByTestId('model-card-body');
    await expect(card.locator('h1')).toContainText('Model card');
    await expect(card.locator('table').first()).toBeVisible();
    await expect(card.locator('img').first()).toHaveJSProperty('complete', true);
    expect(await card.locator('img').first().evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
    await page.getByTestId('model-card-close').click();
    await expect(page.getByTestId('model-card')).not.toBeVisible();
  });
});
