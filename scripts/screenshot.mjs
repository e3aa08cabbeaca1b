// Screenshot of the running app: node scripts/screenshot.mjs URL OUT.png [waitMs]; PLAY=1 presses Play, WEBGPU=1 enables WebGPU.
import { chromium } from 'playwright';
const url = process.argv[2]; const out = process.argv[3]; const wait = Number(process.argv[4] ?? 20000);
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox','--disable-background-networking','--disable-component-update','--disable-sync','--no-first-run','--disable-quic', ...(process.env.WEBGPU ? ['--enable-unsafe-webgpu'] : [])] });
const page = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
page.on('console', (m) => console.log('console:', m.type(), m.text().slice(0, 300)));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(url);
const t0 = Date.now();
if (process.env.PLAY) { await page.waitForTimeout(3000); await page.getByTestId('play').click(); }
await page.waitForTimeout(wait);
console.log('frame', await page.getByTestId('frame-counter').textContent(), '|', await page.getByTestId('compute-status').textContent(), '|', await page.getByTestId('backend-badge').textContent(), '|', await page.getByTestId('model-status').textContent());
await page.screenshot({ path: out, fullPage: true });
await browser.close();
