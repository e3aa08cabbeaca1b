// Per-step time of the running app on each backend, in Chromium (Debian's where present),
// as ratios to WASM measured in one run. Needs a built app: npm run build.
//   node scripts/bench-browser.mjs [--steps 3] [--backends wasm,webgl,webgpu,cpu]
import { chromium } from 'playwright';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const steps = Number(arg('steps', '3'));
const backends = arg('backends', 'wasm,webgl,webgpu,cpu').split(',');
const port = 4183;
const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 3000));
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined),
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--enable-unsafe-webgpu'],
});
const results = {};
try {
  for (const backend of backends) {
    const page = await browser.newPage();
    const t0 = Date.now();
    await page.goto(`http://localhost:${port}/#img=ladybird&deg=blur&t=${steps}&backend=${backend}&frame=0&fps=8`);
    const status = page.getByTestId('compute-status');
    await status.filter({ hasText: 'all steps computed' }).waitFor({ timeout: 300_000 });
    const text = await status.textContent();
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
