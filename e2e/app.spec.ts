import { expect, test } from './fixtures';
import { canvasPixels, currentFrame, meanAbsDiff, waitForAllSteps, waitForModel } from './helpers';

test.describe('the demo', () => {
  test('loads, plays naive vs improved frame by frame, and the two differ', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Cold Diffusion Lab' })).toBeVisible();
    await waitForModel(page);
    await expect(page.getByTestId('backend-badge')).toHaveAttribute('data-backend', /^(wasm|webgl|webgpu|cpu)$/);

    await page.getByTestId('sample-kite').click();
    await expect(page.getByTestId('sample-kite')).toHaveAttribute('aria-checked', 'true');
    await page.getByTestId('degradation').selectOption('blur');
    const slider = page.getByTestId('t-slider');
    await slider.fill('12');
    await expect(page.getByTestId('t-value')).toHaveText('t = 12');
    await expect(page).toHaveURL(/img=kite/);
    await expect(page).toHaveURL(/t=12/);
    await expect(page.getByTestId('canvas-degraded')).toHaveAttribute('data-ready', 'true');

    const original = await canvasPixels(page, 'canvas-original');
    const degraded = await canvasPixels(page, 'canvas-degraded');
    expect(meanAbsDiff(original, degraded)).toBeGreaterThan(2);

    // Every frame shown, recorded by the page itself: polling from here can miss frames when playback,
    // once buffered, runs at its full speed on a busy machine.
    await page.evaluate(() => {
      const w = window as unknown as { framesShown: number[] };
      w.framesShown = [];
      const counter = document.querySelector('[data-testid=frame-counter]')!;
      new MutationObserver(() => w.framesShown.push(Number(counter.getAttribute('data-frame')))).observe(counter, { attributes: true, attributeFilter: ['data-frame'] });
    });
    await page.getByTestId('play').click();
    await expect.poll(() => currentFrame(page), { timeout: 90_000 }).toBeGreaterThanOrEqual(3);
    await expect.poll(() => currentFrame(page), { timeout: 120_000 }).toBe(12);
    const seen = new Set(await page.evaluate(() => (window as unknown as { framesShown: number[] }).framesShown));
    expect(seen.size).toBeGreaterThan(3);
    await expect(page.getByTestId('play')).toBeVisible(); // stopped at the end

    const naive = await canvasPixels(page, 'canvas-naive');
    const improved = await canvasPixels(page, 'canvas-improved');
    expect(meanAbsDiff(naive, improved)).toBeGreaterThan(1);
    // Improved sampling restores: closer to the original than the degraded input was.
    expect(meanAbsDiff(improved, original)).toBeLessThan(meanAbsDiff(degraded, original));
  });

  test('every degradation in the picker has a working model', async ({ page }) => {
    test.setTimeout(600_000); // six models, up to 25 steps each, on a 2-core CPU
    await page.goto('/#img=sunflower&deg=blur&t=20&backend=wasm&frame=0&fps=30');
    // The page's components arrive after its entry has started the worker (src/main.tsx).
    await expect(page.getByTestId('degradation')).toBeVisible();
    const options = await page.getByTestId('degradation').locator('option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(options.length).toBeGreaterThan(1);
    for (const id of options.filter((o) => o !== 'blur')) {
      await page.getByTestId('degradation').selectOption(id);
      await expect(page).toHaveURL(new RegExp(`deg=${id}`));
      await waitForAllSteps(page);
      await page.getByTestId('play').click();
      const t = Number((await page.getByTestId('t-value').textContent())!.replace('t = ', ''));
      await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', String(t));
      const original = await canvasPixels(page, 'canvas-original');
      const degraded = await canvasPixels(page, 'canvas-degraded');
      const improved = await canvasPixels(page, 'canvas-improved');
      expect(meanAbsDiff(improved, original), id).toBeLessThan(meanAbsDiff(degraded, original));
      await expect(page.getByTestId('model-card-raw')).toHaveAttribute('href', new RegExp(`models/${id}/MODEL_CARD\\.md$`));
    }
  });

  test('Step and Reset move one frame at a time', async ({ page }) => {
    await page.goto('/#img=cups&deg=blur&t=5&backend=wasm&frame=0&fps=8');
    await waitForModel(page);
    await waitForAllSteps(page);
    await page.getByTestId('step').click();
    await page.getByTestId('step').click();
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '2');
    await expect(page).toHaveURL(/frame=2/);
    await page.getByTestId('reset').click();
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '0');
  });

  test('a copied link reproduces the same view, pixel for pixel', async ({ page, context }) => {
    await page.goto('/#img=ladybird&deg=blur&t=8&backend=wasm&frame=0&fps=8');
    await waitForModel(page);
    await waitForAllSteps(page);
    for (let i = 0; i < 5; i++) await page.getByTestId('step').click();
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '5');
    await page.getByTestId('share').click();
    const link = await page.evaluate(() => navigator.clipboard.readText());
    expect(link).toContain('img=ladybird');
    expect(link).toContain('frame=5');
    const sent = await canvasPixels(page, 'canvas-improved');

    const other = await context.newPage();
    await other.goto(link);
    await waitForModel(other);
    await expect(other.getByTestId('frame-counter')).toHaveAttribute('data-frame', '5');
    await expect(other.getByTestId('t-value')).toHaveText('t = 8');
    await expect(other.getByTestId('sample-ladybird')).toHaveAttribute('aria-checked', 'true');
    await expect(other.getByTestId('psnr-improved')).not.toContainText('computing', { timeout: 90_000 });
    expect(meanAbsDiff(await canvasPixels(other, 'canvas-improved'), sent)).toBe(0);
  });

  test('a malformed link falls back to defaults and says so', async ({ page }) => {
    await page.goto('/#img=nope&t=banana&frame=99&color=red');
    const notices = page.getByTestId('notices');
    await expect(notices).toContainText('unknown sample image "nope"');
    await expect(notices).toContainText('step t "banana" is not a whole number');
    await expect(notices).toContainText('ignored unknown setting "color"');
    await expect(page.getByTestId('t-value')).toHaveText('t = 38');
    for (const part of ['img=goldfish', 'deg=inpaint', 't=38']) await expect(page).toHaveURL(new RegExp(`[#&]${part}(&|$)`));
  });

  test('a broken image file gets a clear message and the current image stays', async ({ page }) => {
    await page.goto('/#img=forest');
    await expect(page.getByTestId('canvas-original')).toHaveAttribute('data-ready', 'true');
    const before = await canvasPixels(page, 'canvas-original');
    await page.getByTestId('file-input').setInputFiles({ name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('this is not a jpeg at all') });
    await expect(page.getByTestId('notices')).toContainText('"holiday.jpg" could not be decoded');
    expect(meanAbsDiff(await canvasPixels(page, 'canvas-original'), before)).toBe(0);
    await expect(page.getByTestId('sample-forest')).toHaveAttribute('aria-checked', 'true');
  });

  test('a visitor image is used locally and not put in the link', async ({ page }) => {
    await page.goto('/#img=forest&t=4');
    await waitForModel(page);
    const png = await page.evaluate(async () => {
      const c = new OffscreenCanvas(300, 200);
      const ctx = c.getContext('2d')!;
      ctx.fillStyle = '#c33';
      ctx.fillRect(0, 0, 300, 200);
      ctx.fillStyle = '#3c3';
      ctx.fillRect(100, 50, 100, 100);
      return Array.from(new Uint8Array(await (await c.convertToBlob()).arrayBuffer()));
    });
    await page.getByTestId('file-input').setInputFiles({ name: 'mine.png', mimeType: 'image/png', buffer: Buffer.from(png) });
    await expect(page.getByText('showing')).toContainText('mine.png');
    const original = await canvasPixels(page, 'canvas-original');
    // Centre crop of 300×200 is x 50..250: green square centred, red at the sides.
    expect(original.slice(0, 3)).toEqual([204, 51, 51]);
    const centre = (64 * 128 + 64) * 4;
    expect(original.slice(centre, centre + 3)).toEqual([51, 204, 51]);
    await expect(page).not.toHaveURL(/mine/);
    await waitForAllSteps(page);
  });

  test('a missing model file is reported clearly', async ({ page }) => {
    await page.route('**/models/blur/group1-shard1of*.bin', (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto('/#deg=blur&t=3');
    await expect(page.getByTestId('notices')).toContainText('The model could not be loaded', { timeout: 60_000 });
    await expect(page.getByTestId('notices')).toContainText('HTTP 404');
    await expect(page.getByTestId('model-status')).toContainText('failed');
    // The rest of the page still works: the degraded input is shown without the model.
    await expect(page.getByTestId('canvas-degraded')).toHaveAttribute('data-ready', 'true');
  });

  test('Play while the samplers still compute buffers first, says so, then plays to the end without a stall', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/#img=kite&deg=blur&t=16&backend=wasm&frame=0&fps=30');
    await waitForModel(page);
    await expect(page.getByTestId('compute-status')).toContainText(/computed [2-9] /, { timeout: 90_000 });
    // Every change of the frame shown, from the page itself.
    await page.evaluate(() => {
      const w = window as unknown as { framesShown: number[] };
      w.framesShown = [];
      const counter = document.querySelector('[data-testid=frame-counter]')!;
      new MutationObserver(() => w.framesShown.push(Number(counter.getAttribute('data-frame')))).observe(counter, { attributes: true, attributeFilter: ['data-frame'] });
    });
    await page.getByTestId('play').click();
    // 30 fps is far faster than a step on WASM: it must wait, and say for how long.
    await expect(page.getByTestId('buffering')).toContainText(/playback starts in about \d+ s/);
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '16', { timeout: 150_000 });
    await expect(page.getByTestId('buffering')).toHaveCount(0);
    expect(await page.evaluate(() => (window as unknown as { framesShown: number[] }).framesShown)).toEqual(Array.from({ length: 16 }, (_, i) => i + 1));
    // The player's own count of ticks that found the next frame missing once flowing: a stall
    // (frame gaps in wall-clock time would measure this machine's load, not the buffer rule). A stall
    // where the worker's steps ran slower than the plan allowed is this machine's load too (a CI run
    // saw one); a stall within the plan would be the buffer rule's fault.
    const counter = page.getByTestId('frame-counter');
    const stalls = Number(await counter.getAttribute('data-stalls'));
    const slowSteps = Number(await counter.getAttribute('data-stalls-slow-steps'));
    if (stalls > 0) console.log(`${stalls} stall(s), ${slowSteps} of them behind steps slower than planned`);
    expect(stalls - slowSteps).toBe(0);
  });

  test('keyboard: space plays, → steps, R resets', async ({ page }) => {
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm&frame=0&fps=30');
    await waitForModel(page);
    await waitForAllSteps(page);
    await page.locator('body').press('ArrowRight');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '1');
    await page.locator('body').press('r');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '0');
    await page.locator('body').press(' ');
    await expect(page.getByTestId('frame-counter')).toHaveAttribute('data-frame', '4');
  });

  test('a corrupt model file is reported clearly', async ({ page }) => {
    await page.route('**/models/blur/model.json', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"format": "cold-diffusion-unet/1", "modelTopo' }));
    await page.goto('/#deg=blur&t=3');
    await expect(page.getByTestId('notices')).toContainText('model.json is not valid JSON', { timeout: 60_000 });
  });
});
