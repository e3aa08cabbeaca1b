/**
 * Renders public/icons/icon.svg to the PNG sizes the web manifest lists, and public/favicon.svg to the page's
 * favicon (a PNG: Chromium decodes an SVG favicon anew, about 8 ms, at every change of the address, which
 * follows a playing run), in Chromium.
 *   npx tsx scripts/make-icons.ts
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from './chromium';

const dir = join(import.meta.dirname, '..', 'public', 'icons');
const svg = readFileSync(join(dir, 'icon.svg'), 'utf8');
const browser = await chromium.launch(chromiumLaunchOptions());
for (const size of [192, 512]) {
  const page = await browser.newPage({ viewport: { width: size, height: size } });
  await page.setContent(`<html><body style="margin:0">${svg.replace('<svg ', `<svg width="${size}" height="${size}" `)}</body></html>`);
  await page.screenshot({ path: join(dir, `icon-${size}.png`), omitBackground: false });
  await page.close();
}
const favicon = readFileSync(join(dir, '..', 'favicon.svg'), 'utf8');
const page = await browser.newPage({ viewport: { width: 48, height: 48 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${favicon.replace('<svg ', '<svg width="48" height="48" ')}</body></html>`);
await page.screenshot({ path: join(dir, 'favicon-48.png'), omitBackground: true });
await browser.close();
