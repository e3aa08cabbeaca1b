import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';

/** What each built-in stop must show: its link settings, and one thing on the page that says so. */
const STOPS: { hash: RegExp; shows: (page: Page) => Promise<void> }[] = [
  { hash: /deg=blur&.*t=40&/, shows: async (page) => expect(page.getByTestId('forward-strip').or(page.getByTestId('panel-degraded')).first()).toBeVisible() },
  { hash: /img=goldfish&deg=blur&.*t=40&/, shows: async (page) => expect(page.getByTestId('t-value')).toHaveText('t = 40') },
  { hash: /explain=1/, shows: async (page) => expect(page.getByTestId('predict-correct')).toBeVisible() },
  { hash: /img=ladybird&.*restorer=early/, shows: async (page) => expect(page.getByTestId('restorer')).toHaveValue('early') },
  { hash: /t=40&steps=4&/, shows: async (page) => expect(page.getByTestId('frame-counter')).toContainText('/ 4') },
  { hash: /deg=noise&.*t=25&/, shows: async (page) => expect(page.getByTestId('degradation')).toHaveValue('noise') },
  { hash: /deg=inpaint&.*t=38&/, shows: async (page) => expect(page.getByTestId('degradation')).toHaveValue('inpaint') },
  { hash: /mode=generate/, shows: async (page) => expect(page.getByTestId('mode-generate')).toHaveAttribute('aria-selected', 'true') },
  { hash: /mode=own&.*own=20~gauss/, shows: async (page) => expect(page.getByTestId('own-builder')).toBeVisible() },
];

async function expectStop(page: Page, index: number) {
  await expect(page.getByTestId('lesson')).toHaveAttribute('data-stop', String(index));
  await expect(page.getByTestId('lesson-progress')).toContainText(`Stop ${index} of ${STOPS.length}`);
  await expect(page, `stop ${index}`).toHaveURL(STOPS[index - 1]!.hash);
  await STOPS[index - 1]!.shows(page);
}

async function seriousViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(' | ')}`);
}

test.describe('lessons', () => {
  test('the built-in lesson: the button opens it; Next, PageDown and → step through every stop, each changing the view', async ({ page }) => {
    test.setTimeout(240_000);
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm');
    await page.getByTestId('lesson-start').click();
    await expectStop(page, 1);
    await expect(page.getByTestId('lesson-back')).toBeDisabled();
    for (let i = 2; i <= STOPS.length; i++) {
      await page.getByTestId('lesson-next').click();
      await expectStop(page, i);
    }
    await expect(page.getByTestId('lesson-next')).toBeDisabled();
    // A presentation clicker sends PageUp / PageDown; the keyboard's ← → do the same.
    for (let i = STOPS.length - 1; i >= 1; i--) {
      await page.keyboard.press('PageUp');
      await expectStop(page, i);
    }
    for (let i = 2; i <= STOPS.length; i++) {
      await page.keyboard.press('PageDown');
      await expectStop(page, i);
    }
    await page.keyboard.press('ArrowLeft');
    await expectStop(page, STOPS.length - 1);
    await page.getByTestId('lesson-close').click();
    await expect(page.getByTestId('lesson')).toHaveCount(0);
    await expect(page).not.toHaveURL(/lesson=/);
  });

  test('lesson=<stop> opens that stop; Reveal shows the answer; a stop left can be returned to', async ({ page }) => {
    await page.goto('/#lesson=4&backend=wasm');
    await expectStop(page, 4);
    await expect(page.getByTestId('lesson-answer')).toHaveCount(0);
    await page.getByTestId('lesson-reveal').click();
    await expect(page.getByTestId('lesson-answer')).toContainText('Improved sampling');
    // The visitor changes the view: the way back appears and restores the stop's view.
    await expect(page.getByTestId('lesson-return')).toHaveCount(0);
    await page.getByTestId('restorer').selectOption('trained');
    await page.getByTestId('lesson-return').click();
    await expect(page.getByTestId('restorer')).toHaveValue('early');
    await expect(page.getByTestId('lesson-return')).toHaveCount(0);
    // The next stop asks afresh.
    await page.getByTestId('lesson-next').click();
    await expect(page.getByTestId('lesson-answer')).toHaveCount(0);
    await expect(page.getByTestId('lesson-reveal')).toBeVisible();
  });

  test("a lesson made by clicking opens in a fresh context with the same stops, captions and hidden controls", async ({ page, browser }) => {
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm');
    await page.getByTestId('lesson-editor').locator('summary').click();
    const add = async (caption: string, question = '', answer = '') => {
      await page.getByTestId('lesson-caption-input').fill(caption);
      if (question) await page.getByTestId('lesson-question-input').fill(question);
      if (answer) await page.getByTestId('lesson-answer-input').fill(answer);
      await page.getByTestId('lesson-add-stop').click();
    };
    await add('Kite, lightly blurred.', 'Which sampler wins?', 'Improved, by a little.');
    await page.getByTestId('degradation').selectOption('inpaint');
    await page.getByTestId('t-slider').fill('6');
    await add('A small hole in the kite.');
    await page.getByTestId('degradation').selectOption('snow');
    await add('Snow: to be deleted.');
    await page.getByTestId('lesson-delete-3').click();
    await page.getByTestId('lesson-up-2').click(); // the hole first
    await page.getByTestId('lesson-title-input').fill('Kite lesson');
    for (const c of ['seed', 'backend', 'degradation']) await page.getByTestId(`lesson-hide-${c}`).check();
    await expect(page.getByTestId('lesson-stop')).toHaveCount(2);
    await expect(page.getByTestId('lesson-size')).toContainText('of 8,000 characters');
    const link = await page.getByTestId('lesson-link').inputValue();
    expect(link).toMatch(/#plan=1\.[A-Za-z0-9_.-]+$/);

    const fresh = await browser.newContext();
    const student = await fresh.newPage();
    await student.goto(link);
    await expect(student.getByTestId('lesson')).toHaveAttribute('data-stops', '2');
    await expect(student.getByTestId('lesson')).toHaveAttribute('data-stop', '1');
    await expect(student.getByTestId('lesson-progress')).toContainText('Kite lesson');
    await expect(student.getByTestId('lesson-caption')).toHaveText('A small hole in the kite.');
    await expect(student).toHaveURL(/img=kite&deg=inpaint&.*t=6&/);
    for (const id of ['degradation', 'seed', 'backend']) await expect(student.getByTestId(id)).toHaveCount(0);
    await student.getByTestId('lesson-next').click();
    await expect(student.getByTestId('lesson-caption')).toHaveText('Kite, lightly blurred.');
    await expect(student.getByTestId('lesson-question')).toContainText('Which sampler wins?');
    await student.getByTestId('lesson-reveal').click();
    await expect(student.getByTestId('lesson-answer')).toContainText('Improved, by a little.');
    await expect(student).toHaveURL(/deg=blur&.*t=4&/);
    await expect(student.getByTestId('degradation')).toHaveCount(0);
    // Closing the lesson gives the controls back.
    await student.getByTestId('lesson-close').click();
    await expect(student.getByTestId('degradation')).toBeVisible();
    await fresh.close();
  });

  test('a damaged lesson link: the valid stops open and a notice names what was dropped', async ({ page }) => {
    await page.goto('/#img=kite&deg=blur&t=4&backend=wasm');
    await page.getByTestId('lesson-editor').locator('summary').click();
    for (const caption of ['First stop', 'Second stop']) {
      await page.getByTestId('lesson-caption-input').fill(caption);
      await page.getByTestId('lesson-add-stop').click();
    }
    const link = await page.getByTestId('lesson-link').inputValue();
    // A third stop that names a view this page does not have, and a fourth cut short.
    await page.goto('/');
    const third = await page.evaluate(async () => {
      const bytes = new TextEncoder().encode(JSON.stringify({ view: 'deg=teleport&t=3', caption: 'Beam me up' }));
      const stream = new Blob([bytes]).stream().pipeThrough(new CompressionStream('deflate-raw'));
      const packed = new Uint8Array(await new Response(stream).arrayBuffer());
      return btoa(String.fromCharCode(...packed)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    });
    // A fresh load: the notices belong to the link as it was opened (the page then rewrites it without the dropped stops).
    await page.goto('about:blank');
    await page.goto(`${link}.${third}.AbC`);
    await expect(page.getByTestId('lesson')).toHaveAttribute('data-stops', '2');
    await expect(page.getByTestId('lesson-caption')).toHaveText('First stop');
    await expect(page.getByTestId('notices')).toContainText('2 stops opened; dropped stop 3 (“Beam me up”): its view: unknown degradation "teleport"');
    await expect(page.getByTestId('notices')).toContainText('stop 4: unreadable');
  });

  test('axe finds nothing serious in the lesson, on the page and in presentation mode; a phone shows it within its width', async ({ page }) => {
    test.setTimeout(180_000);
    await page.goto('/#lesson=2&backend=wasm');
    await page.getByTestId('lesson-reveal').click();
    await page.getByTestId('lesson-editor').locator('summary').click();
    expect(await seriousViolations(page)).toEqual([]);
    await page.goto('/#lesson=4&backend=wasm&present=1');
    await page.reload();
    await expect(page.getByTestId('presentation')).toBeVisible();
    await page.getByTestId('lesson-reveal').click();
    expect(await seriousViolations(page)).toEqual([]);
    // PageDown works in presentation mode too, and the panels stay on one 1280×720 screen.
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.keyboard.press('PageDown');
    await expect(page.getByTestId('lesson')).toHaveAttribute('data-stop', '5');
    const improved = (await page.getByTestId('panel-improved').boundingBox())!;
    expect(improved.y + improved.height).toBeLessThanOrEqual(721);

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto('/#lesson=3&backend=wasm');
    await page.reload();
    const widths = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    expect(widths[0]).toBeLessThanOrEqual(widths[1]!);
    for (const id of ['lesson-back', 'lesson-next', 'lesson-reveal']) {
      const box = (await page.getByTestId(id).boundingBox())!;
      expect(box.x >= 0 && box.x + box.width <= 390, id).toBe(true);
    }
  });
});
