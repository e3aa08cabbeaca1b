import { expect, test } from '@playwright/test';
import { openMoreSettings, waitForAllSteps } from './helpers';

// Steps (issue 27): the samplers go from t to 0 in n steps; "How many steps?" measures every n.
test.describe('steps', () => {
  test('steps=4 at t = 40 computes 4 steps: the timeline, the error chart and the control follow', async ({ page }) => {
    await page.goto('/#img=cups&deg=blur&t=40&steps=4&backend=wasm&frame=0');
    await waitForAllSteps(page);
    await expect(page.getByTestId('scrubber')).toHaveAttribute('max', '4');
    // Frames 0..4: the start and one per step, for naive, improved and direct alike.
    for (const id of ['chart-psnr', 'chart-drift']) await expect(page.getByTestId(id)).toHaveAttribute('data-series-points', '5,5,5');
    await page.keyboard.press('End');
    await expect(page.getByTestId('frame-counter')).toContainText('frame 4 / 4 · now at t = 0');
    await page.keyboard.press('ArrowLeft');
    await expect(page.getByTestId('frame-counter')).toContainText('frame 3 / 4 · now at t = 10');

    await openMoreSettings(page);
    await page.getByLabel('Sampler steps').fill('2');
    await expect(page).toHaveURL(/[#&]steps=2(&|$)/);
    await waitForAllSteps(page);
    await expect(page.getByTestId('scrubber')).toHaveAttribute('max', '2');
  });

  test('"how many steps?" shows one point per n = 1, 2, 4, …, t for naive, improved and direct', async ({ page }) => {
    await page.goto('/#img=cups&deg=blur&t=6&backend=wasm&sweep=1');
    const sweep = page.getByTestId('step-sweep');
    await expect(sweep).toContainText('issue #14');
    for (const id of ['sweep-chart-psnr', 'sweep-chart-sharpness']) {
      const chart = page.getByTestId(id);
      await expect(chart).toHaveAttribute('data-counts', '1,2,4,6', { timeout: 150_000 });
      for (const sampler of ['naive', 'improved', 'direct']) await expect(chart).toHaveAttribute(`data-points-${sampler}`, '4');
    }
    await expect(page.getByTestId('sweep-reading')).toContainText(/^From 1 to 6 steps here, improved (gains|loses|stays)/);
  });
});
