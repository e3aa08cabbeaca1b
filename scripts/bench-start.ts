/**
 * The page's start, several times (the full bench measures it once): load to the first step with an
 * empty cache and cached, and the page's own phases (src/core/engine/startupMarks.ts), medians over
 * --repeats loads; and what the main thread goes through on a phone-class CPU (a 390×844 page, the CPU
 * slowed 4× by the browser's own throttling, the bare page for 15 s while its run plays): total
 * blocking time (the sum over tasks of their time past 50 ms), the long tasks, and the step time the
 * run reached; with --only trace, what each of those long tasks is made of (a trace of the page's main thread:
 * module evaluation, script, style, layout, paint, the compositor's commit). Needs a built app (npm run build).
 *   tsx scripts/bench-start.ts [--repeats 5] [--port 4185] [--only start|main-thread|trace]
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium, type Browser, type Page } from 'playwright';
import { chromiumLaunchOptions } from './chromium';

const { values } = parseArgs({ options: { repeats: { type: 'string', default: '5' }, port: { type: 'string', default: '4185' }, only: { type: 'string', default: '' } } });
const ROOT = join(import.meta.dirname, '..');
const port = Number(values.port);
const repeats = Number(values.repeats);
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

async function start(browser: Browser) {
  const runs: Record<'cold' | 'cached', { ms: number; threads: string; phases: Phases }[]> = { cold: [], cached: [] };
  for (let i = 0; i < repeats; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
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
}

async function mainThread(browser: Browser) {
  const tbt: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    await (await context.newCDPSession(page)).send('Emulation.setCPUThrottlingRate', { rate: 4 });
    await page.addInitScript(() => {
      const w = window as unknown as { tasks: [number, number][] };
      w.tasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.tasks.push([Math.round(e.startTime), Math.round(e.duration)]))).observe({ type: 'longtask', buffered: true });
    });
    await page.goto(`http://localhost:${port}/`);
    await page.waitForTimeout(15_000);
    const tasks = await page.evaluate(() => (window as unknown as { tasks: [number, number][] }).tasks);
    const status = (await page.getByTestId('compute-status').textContent()) ?? '';
    const blocking = tasks.reduce((sum, [, d]) => sum + Math.max(0, d - 50), 0);
    tbt.push(blocking);
    const first = tasks.filter(([s]) => s < 3000);
    process.stdout.write(`phone-class CPU (4× slower), 15 s: blocking ${blocking} ms, ${tasks.length} tasks ≥ 50 ms (longest ${Math.max(0, ...tasks.map((t) => t[1]))}; ${first.length} in the first 3 s, blocking ${first.reduce((s, [, d]) => s + Math.max(0, d - 50), 0)} ms); ${status.trim()}\n`);
    await context.close();
  }
  process.stdout.write(`main thread: median blocking ${median(tbt)} ms over ${tbt.length} loads\n`);
}

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; tid: number; pid: number; args?: { name?: string; data?: { url?: string; functionName?: string } } }

/** The page's main-thread tasks over 40 ms on the same phone-class CPU, each with what took over 3 ms inside it. */
async function trace(browser: Browser) {
  for (let i = 0; i < repeats; i++) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
    const events: TraceEvent[] = [];
    // Playwright's types list no payload for this event.
    (cdp as unknown as { on(event: string, listener: (e: { value: TraceEvent[] }) => void): void }).on('Tracing.dataCollected', (e) => events.push(...e.value));
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8.execute', transferMode: 'ReportEvents' });
    await page.goto(`http://localhost:${port}/`);
    await page.waitForTimeout(8_000);
    const complete = new Promise((r) => (cdp as unknown as { once(event: string, listener: () => void): void }).once('Tracing.tracingComplete', () => r(null)));
    await cdp.send('Tracing.end');
    await complete;
    await context.close();
    // The renderer that parsed the page, and its main thread.
    const pid = events.filter((e) => e.name === 'ParseHTML').at(-1)?.pid;
    const tid = events.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.pid === pid && e.args?.name === 'CrRendererMain')?.tid;
    if (pid === undefined || tid === undefined) {
      process.stdout.write(`load ${i + 1}: the trace holds no renderer that parsed the page\n`);
      continue;
    }
    const main = events.filter((e) => e.pid === pid && e.tid === tid && e.ph === 'X');
    const t0 = main.reduce((a, e) => Math.min(a, e.ts), Infinity);
    const tasks = main.filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > 40_000);
    process.stdout.write(`load ${i + 1}: ${tasks.length} main-thread tasks over 40 ms in the first 8 s (4× slower CPU; inside each, what took over 3 ms)\n`);
    for (const task of tasks) {
      const end = task.ts + task.dur!;
      const inside = main.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end && (e.dur ?? 0) > 3_000 && !e.name.startsWith('V8.'));
      const what = inside.map((e) => `${e.name}${e.args?.data?.url ? ` ${e.args.data.url.split('/').pop()}` : ''} ${Math.round(e.dur! / 1000)}`);
      process.stdout.write(`  at ${Math.round((task.ts - t0) / 1000)} ms, ${Math.round(task.dur! / 1000)} ms: ${what.join(' | ') || 'nothing of the page named'}\n`);
    }
  }
}

const app = spawn(join(ROOT, 'node_modules', '.bin', 'vite'), ['preview', '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
await new Promise((r) => setTimeout(r, 3000));
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  if (values.only === 'trace') await trace(browser);
  else {
    if (values.only !== 'main-thread') await start(browser);
    if (values.only !== 'start') await mainThread(browser);
  }
} finally {
  await browser.close();
  app.kill();
}
