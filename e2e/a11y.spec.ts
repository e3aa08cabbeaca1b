import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { waitForAllSteps } from './helpers';

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test.describe('accessibility', () => {
  for (const [mode, hash] of [
    ['restore', '#img=kite&deg=blur&t=4&backend=wasm&frame=2'],
    ['generate', '#mode=generate&backend=wasm&frame=3'],
    ['predict → correct', '#img=kite&deg=blur&t=4&backend=wasm&frame=2&explain=1'],
    ['presentation', '#img=kite&deg=blur&t=4&backend=wasm&frame=2&present=1'],
  ] as const) {
    test(`axe finds nothing serious or critical: ${mode}`, async ({ page }) => {
      test.setTimeout(150_000);
      await page.goto(`/${hash}`);
      await waitForAllSteps(page);
      if (mode === 'predict → correct') await expect(page.getByTestId('predict-correct')).toBeVisible();
      expect(await seriousViolations(page)).toEqual([]);
    });
  }

  test('your own transform: axe finds nothing serious in the builder and the training panel, on a laptop and on a phone (within its width)', async ({ page }) => {
    test.setTimeout(150_000);
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 844 });
      await page.goto('/#mode=own&backend=wasm');
      await page.getByTestId('own-preset-scratch').click();
      await expect(page.getByTestId('mask-painter')).toBeVisible();
      await expect(page.getByTestId('strip-canvas-20')).toBeVisible({ timeout: 60_000 });
      expect(await seriousViolations(page), `at ${width} px`).toEqual([]);
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(widths[0], `at ${width} px`).toBeLessThanOrEqual(widths[1]!);
    }
  });

  test('a phone (390×844) scrolls only vertically, in every mode', async ({ page }) => {
    test.setTimeout(150_000);
    await page.setViewportSize({ width: 390, height: 844 });
    for (const hash of ['#img=kite&deg=blur&t=4&backend=wasm&frame=2', '#img=kite&deg=blur&t=4&backend=wasm&frame=2&explain=1', '#mode=generate&backend=wasm&frame=3&seed=5']) {
      await page.goto(`/${hash}`);
      await waitForAllSteps(page);
      const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
      expect(widths[0], hash).toBeLessThanOrEqual(widths[1]!);
      // Every control usable: within the width, reachable by scrolling down.
      for (const id of ['play', 'scrubber', 'share']) {
        await page.getByTestId(id).scrollIntoViewIfNeeded();
        const box = (await page.getByTestId(id).boundingBox())!;
        expect(box.x >= 0 && box.x + box.width <= 390, `${id} in ${hash}`).toBe(true);
      }
    }
  });

  test('the keyboard reaches the controls with a visible focus; a live region says the step and the errors', async ({ page }) => {
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm&frame=0');
    await waitForAllSteps(page);
    let focused = '';
    for (let i = 0; i < 40 && focused !== 'play'; i++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? '');
    }
    expect(focused).toBe('play');
    const outline = await page.getByTestId('play').evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).not.toBe('none');
    await page.keyboard.press('Enter'); // plays
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '4', { timeout: 30_000 });
    await expect(page.getByTestId('live-status')).toHaveAttribute('aria-live', 'polite');
    await expect(page.getByTestId('live-status')).toHaveText(/^step 4 of 4: naive \d+\.\d dB, improved \d+\.\d dB$/, { timeout: 10_000 });
  });
});
