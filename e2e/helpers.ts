import { expect, type Page } from '@playwright/test';

/**
 * The RGBA bytes of the picture a canvas shows, at the picture's own size: PixelCanvas draws each
 * pixel as a k×k block (data-upscale), so one pixel of each block is read back.
 */
export async function canvasPixels(page: Page, testId: string): Promise<number[]> {
  return page.getByTestId(testId).evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    const k = Number(canvas.dataset.upscale ?? 1);
    const all = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const out: number[] = [];
    for (let y = 0; y < canvas.height; y += k) for (let x = 0; x < canvas.width; x += k) out.push(...all.subarray((y * canvas.width + x) * 4, (y * canvas.width + x) * 4 + 4));
    return out;
  });
}

/** Opens "More settings" (seed, backend), where the page keeps what is used less. */
export async function openMoreSettings(page: Page): Promise<void> {
  const more = page.getByTestId('more-settings');
  if ((await more.getAttribute('open')) === null) await more.locator('summary').click();
}

export function meanAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) if (i % 4 !== 3) s += Math.abs(a[i]! - b[i]!);
  return s / ((a.length * 3) / 4);
}

export async function currentFrame(page: Page): Promise<number> {
  return Number(await page.getByTestId('frame-counter').getAttribute('data-frame'));
}

export async function waitForModel(page: Page): Promise<void> {
  await expect(page.getByTestId('model-status')).toHaveAttribute('data-status', 'ready', { timeout: 120_000 });
}

export async function waitForAllSteps(page: Page, timeout = 150_000): Promise<void> {
  await expect(page.getByTestId('compute-status')).toContainText('all steps computed', { timeout });
}
