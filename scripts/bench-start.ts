/**
 * The page's start only, several times (the full bench measures it once): load to the first step
 * with an empty cache and cached, and the page's own phases (src/core/engine/startupMarks.ts),
 * medians over --repeats loads. Needs a built app (npm run build).
 *   tsx scripts/bench-start.ts [--repeats 5] [--port 4185]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Page } from 'playwright';
import { chromiumLaunchOptions } from './chromium';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' }, port: { type: 'string', default: '4185' } } });
const ROOT = join(import.meta.dirname, '..');
const port = Number(values.port);
type Phases = { phase: string; ms: number }[];

async function firstFrame(page: Page, url: string): Promise<{ ms: number; threads: string; phases: Phases }> {
  const t0 = Date.now();
  await page.goto(url);
  const status = page.getByTestId('compute-status');
  await status.filter({ hasText: /computed [1-9]|all steps computed/ }).waitFor({ timeout: 120_000 });
  const ms = Date.now() - t0;
  await page.waitForFunction(() => document.querySelector('[data-testid=compute-status]')?.hasAttribute('data-startup'), undefined, { timeout: 10_000 });
  const threads = (await page.getByTestId('backend-badge').getAttribute('title'))?.split(', ').at(-1) ?? '?';
  return { ms, threads, phases: JSON.parse((await status.getAttribute('data-startup'))!) as Phases };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const app = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 3000));
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  const runs: Record<'cold' | 'cached', { ms: number; threads: string; phases: Phases }[]> = { cold: [], cached: [] };
  for (let i = 0; i < Number(values.repeats); i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    if (process.env.LOGS) page.on('console', (m) => process.stdout.write(`  ${m.text()}\n`));
    const url = `http://localhost:${port}/#img=ladybird&deg=blur&t=4&backend=wasm&frame=0&fps=8&seed=${i + 1}`;
    runs.cold.push(await firstFrame(page, url));
    await page.goto('about:blank');
    runs.cached.push(await firstFrame(page, url.replace(/seed=\d+/, `seed=${i + 100}`)));
    await context.close();
  }
  for (const [name, list] of Object.entries(runs)) {
    const phases = list[0]!.phases.map((p) => p.phase);
    const byPhase = phases.map((phase) => `${phase} ${median(list.map((r) => r.phases.find((p) => p.phase === phase)?.ms ?? 0)).toFixed(0)}`);
    process.stdout.write(`${name}: load to first step ${median(list.map((r) => r.ms))} ms (median of ${list.length}: ${list.map((r) => r.ms).join(', ')}; ${list.map((r) => r.threads).join(' / ')}); ${byPhase.join(', ')}\n`);
  }
} finally {
  await browser.close();
  app.kill();
}
