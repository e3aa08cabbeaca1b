/**
 * Screenshot of the running app, to look at what a visitor sees.
 *   tsx scripts/screenshot.ts URL OUT.png [--wait MS] [--play] [--webgpu] [--width 1280] [--height 1100]
 */
import { parseArgs } from 'node:util';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from './chromium';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    wait: { type: 'string', default: '20000' },
    play: { type: 'boolean', default: false },
    webgpu: { type: 'boolean', default: false },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '1100' },
  },
});
const [url, out] = positionals;
if (!url || !out) {
  console.error('usage: tsx scripts/screenshot.ts URL OUT.png [--wait MS] [--play] [--webgpu] [--width W] [--height H]');
  process.exit(2);
}
const browser = await chromium.launch(chromiumLaunchOptions({ webgpu: values.webgpu }));
const page = await browser.newPage({ viewport: { width: Number(values.width), height: Number(values.height) } });
page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
if (values.play) {
  await page.waitForTimeout(3000);
  await page.getByTestId('play').click();
}
await page.waitForTimeout(Number(values.wait));
const text = (id: string) => page.getByTestId(id).first().textContent({ timeout: 2000 }).catch(() => '(none)');
console.log('frame', await text('frame-counter'), '|', await text('compute-status'), '|', await text('backend-badge'), '|', await text('model-status'));
await page.screenshot({ path: out, fullPage: true });
await browser.close();
