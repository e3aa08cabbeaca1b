/**
 * Per-step time of the running app on each backend, in Chromium (see scripts/chromium.ts),
 * as ratios to WASM measured in one run. Needs a built app: npm run build.
 *   tsx scripts/bench-browser.ts [--steps 3] [--backends wasm,webgl,webgpu,cpu]
 */
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright';
import { chromiumLaunchOptions } from './chromium';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '3' },
    backends: { type: 'string', default: 'wasm,webgl,webgpu,cpu' },
  },
});
const steps = Number(values.steps);
const backends = values.backends.split(',');
const port = 4183;
const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 3000));
const browser = await chromium.launch(chromiumLaunchOptions({ webgpu: true }));
const results: Record<string, { used: string | null; ms: number; totalSeconds: number; detail: string | null }> = {};
try {
  for (const backend of backends) {
    const page = await browser.newPage();
    const t0 = Date.now();
    await page.goto(`http://localhost:${port}/#img=ladybird&deg=blur&t=${steps}&backend=${backend}&frame=0&fps=8`);
    const status = page.getByTestId('compute-status');
    await status.filter({ hasText: 'all steps computed' }).waitFor({ timeout: 300_000 });
    const text = (await status.textContent()) ?? '';
    const used = await page.getByTestId('backend-badge').getAttribute('data-backend');
    const detail = await page.getByTestId('backend-badge').getAttribute('title');
    const ms = Number(/(\d+) ms\/step/.exec(text)?.[1]);
    results[backend] = { used, ms, totalSeconds: (Date.now() - t0) / 1000, detail };
    await page.close();
  }
} finally {
  await browser.close();
  server.kill();
}
const base = results.wasm?.ms;
console.log(`ms per sampler step (naive + improved, one batch-2 forward + 3 blurs), 128×128, last of ${steps} steps:`);
for (const [name, r] of Object.entries(results)) {
  const note = r.used !== name ? ` (fell back to ${r.used})` : '';
  console.log(`${name.padEnd(7)} ${String(r.ms).padStart(6)} ms  ×${base ? (r.ms / base).toFixed(1) : '?'} vs wasm   first result after ${r.totalSeconds.toFixed(0)} s${note}  [${r.detail}]`);
}
