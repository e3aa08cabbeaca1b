import { expect, type Page } from '@playwright/test';

/** RGBA bytes of a canvas, for comparing what two panels (or two pages) show. */
export async function canvasPixels(page: Page, testId: string): Promise<number[]> {
  return page.getByTestId(testId).evaluate((c) => {
    const canvas = c as HTMLCanvasElement;
    return Array.from(canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data);
  });
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
