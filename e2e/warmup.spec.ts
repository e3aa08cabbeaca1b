import { expect, test } from './fixtures';
import { waitForAllSteps, waitForModel } from './helpers';

// WebGL on this machine is SwiftShader (a software adapter): seconds per forward, so the runs are short.
// The model's GPU programs are built as it arrives (src/core/model/gpuWarmUp.ts), before the first step.
test.describe('GPU programs built before the first step', () => {
  test.setTimeout(240_000);

  test('WebGL: the model status says the programs are being built, the page answers meanwhile, and the first frame follows', async ({ page }) => {
    await page.addInitScript(() => {
      // Every status and what it said: on a fast machine the build is over in about 0.1 s, too soon to poll for.
      const w = window as unknown as { statuses: string[]; texts: string[] };
      w.statuses = [];
      w.texts = [];
      new MutationObserver(() => {
        const element = document.querySelector('[data-testid=model-status]');
        const s = element?.getAttribute('data-status');
        if (s && w.statuses.at(-1) !== s) {
          w.statuses.push(s);
          w.texts.push(element?.textContent ?? '');
        }
      }).observe(document, { subtree: true, attributes: true, childList: true, characterData: true, attributeFilter: ['data-status'] });
    });
    await page.goto('/#img=sunflower&deg=blur&t=2&backend=webgl&frame=0&fps=8');
    await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', 'webgl', { timeout: 60_000 });
    await page.waitForFunction(() => (window as unknown as { statuses: string[] }).statuses.includes('warming'), undefined, { timeout: 60_000 });
    const said = await page.evaluate(() => {
      const w = window as unknown as { statuses: string[]; texts: string[] };
      return w.texts[w.statuses.indexOf('warming')];
    });
    expect(said).toContain("preparing the GPU's programs");
    // The page answers while the worker builds (or just after, where it took 0.1 s): a control moves and its label follows at once.
    await page.getByTestId('t-slider').fill('3');
    await expect(page.getByTestId('t-value')).toHaveText('t = 3', { timeout: 2_000 });
    await waitForModel(page);
    await expect(page.getByTestId('model-status')).toContainText(/GPU programs built in \d+\.\d s/);
    await waitForAllSteps(page, 200_000);
    const statuses = await page.evaluate(() => (window as unknown as { statuses: string[] }).statuses);
    expect(statuses.indexOf('warming')).toBeLessThan(statuses.indexOf('ready'));
    const status = page.getByTestId('compute-status');
    const first = Number(await status.getAttribute('data-first-step-ms'));
    const later = JSON.parse((await status.getAttribute('data-step-profile'))!) as Record<string, number>;
    console.log(`WebGL (software): first step ${first.toFixed(0)} ms, later steps ${Object.values(later).reduce((a, b) => a + b, 0).toFixed(0)} ms (median)`);
    expect(first).toBeGreaterThan(0);
  });

  test('WASM builds nothing ahead: no warming status, no build time', async ({ page }) => {
    await page.goto('/#img=sunflower&deg=blur&t=2&backend=wasm&frame=0');
    await waitForModel(page);
    await expect(page.getByTestId('model-status')).not.toContainText('GPU programs');
    await waitForAllSteps(page);
  });
});
