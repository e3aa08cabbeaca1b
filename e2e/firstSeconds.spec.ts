import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { currentFrame } from './helpers';

/** The first ten seconds decide whether anyone sees the rest (issue "The first ten seconds"). */
const FIRST_SECONDS_MS = 10_000;

async function inViewport(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const size = page.viewportSize()!;
  return box !== null && box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
}

test.describe('the first ten seconds', () => {
  test.use({ reducedMotion: 'no-preference' });

  for (const [width, height] of [
    [1366, 768],
    [1280, 720],
  ] as const) {
    test(`at ${width}×${height} the bare page shows degraded, direct, naive and improved, and the frames move without a click`, async ({ page }) => {
      await page.setViewportSize({ width, height });
      const opened = Date.now();
      await page.goto('/');
      for (const id of ['panel-degraded', 'panel-direct', 'panel-naive', 'panel-improved']) {
        await expect.poll(() => inViewport(page, page.getByTestId(id)), { message: `${id} inside the viewport`, timeout: FIRST_SECONDS_MS }).toBe(true);
      }
      // The frame shown advances on its own, within the first ten seconds of opening the page.
      await expect.poll(() => currentFrame(page), { timeout: Math.max(1, FIRST_SECONDS_MS - (Date.now() - opened)) }).toBeGreaterThan(0);
      await expect(page.getByTestId('canvas-naive')).toHaveAttribute('data-ready', 'true');
      // And it ends on the result, with nothing left to press.
      const t = Number((await page.getByTestId('frame-counter').textContent())!.match(/\/ (\d+)/)![1]);
      await expect.poll(() => currentFrame(page), { timeout: 120_000 }).toBe(t);
      await expect(page.getByTestId('play')).toBeVisible();
      // The page's own account of its start, phase by phase, ending at the first step it showed.
      const phases = JSON.parse((await page.getByTestId('compute-status').getAttribute('data-startup'))!) as { phase: string; ms: number }[];
      expect(phases.map((p) => p.phase)).toEqual(expect.arrayContaining(["the page's code", "the worker's code", 'backend start', 'model download', 'first step']));
      expect(phases.at(-1)!.phase).toBe('first step');
      const total = phases.reduce((a, p) => a + p.ms, 0);
      console.log(`first step after ${total.toFixed(0)} ms: ${phases.map((p) => `${p.phase} ${p.ms.toFixed(0)}`).join(', ')}`);
      expect(total).toBeLessThan(Date.now() - opened);
    });
  }

  test('with reduced motion the frames stay at the start and Play is in view', async ({ page }) => {
    await page.emulateMedia({ reducedMotion: 'reduce' });
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.goto('/');
    await expect(page.getByTestId('compute-status')).toContainText(/computed [3-9]|all steps computed/, { timeout: 60_000 });
    expect(await currentFrame(page)).toBe(0);
    expect(await inViewport(page, page.getByTestId('play'))).toBe(true);
  });

  test('on a phone (390×844) naive and improved stand side by side, with the timeline in view while it plays', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/');
    const naive = page.getByTestId('panel-naive');
    const improved = page.getByTestId('panel-improved');
    await naive.scrollIntoViewIfNeeded();
    const [a, b] = [(await naive.boundingBox())!, (await improved.boundingBox())!];
    expect(a.y < b.y + b.height && b.y < a.y + a.height, 'their boxes overlap vertically').toBe(true);
    expect(await inViewport(page, page.getByTestId('frame-counter'))).toBe(true);
    expect(await inViewport(page, page.getByTestId('canvas-naive'))).toBe(true);
    expect(await inViewport(page, page.getByTestId('canvas-improved'))).toBe(true);
    await expect.poll(() => currentFrame(page), { timeout: 60_000 }).toBeGreaterThan(0);
    // Far shorter than the five stacked panels were (3 662 px).
    expect(await page.evaluate(() => document.documentElement.scrollHeight)).toBeLessThan(3000);
  });
});
