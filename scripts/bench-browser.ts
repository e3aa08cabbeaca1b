/**
 * The benchmark against native PyTorch and onnxruntime-web, from one run on this machine (these
 * machines are noisy: compare figures of the same run only). Writes bench/results.json and
 * BENCHMARKS.md. Needs a built app (npm run build) and, for the PyTorch and ONNX baselines,
 * Debian's python3-torch (skipped with the reason otherwise).
 *   tsx scripts/bench-browser.ts [--models blur,name=path/to/model] [--repeats 20] [--steps 4] [--quick]
 * (a model is a shipped id, or name=folder for one that is not shipped, e.g. a candidate network)
 * --report-only rewrites BENCHMARKS.md from bench/results.json (after editing bench/NOTES.md); --training-only
 * measures only the training rows (3.) and puts them into bench/results.json and BENCHMARKS.md.
 * For each model, in this order:
 *  1. native PyTorch (fp32, 1 and 2 threads) on two gallery pictures at t = T/2, batch 2: its
 *     output and the network as ONNX (training/bench_torch.py);
 *  2. the same network and weights in Chromium: onnxruntime-web (wasm 1 and 2 threads; webgpu
 *     where the adapter is real hardware) and our tfjs U-Net on every backend, each output
 *     compared with PyTorch's before its time is kept;
 *  3. training a restorer for a visitor's transform (src/core/own/trainer.ts) in Chromium: steps/s and
 *     images/s per backend and network size (recipe), and the gradient convolutions' share of a step;
 *  4. the app itself (blur only): one sampler step (naive and improved together) on WASM with 1
 *     and 2 threads and on the measured count, cold load and time to the first frame with the
 *     model cached, the main thread's longest task during a run, tensors after 10 runs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { cpus } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { parseArgs } from 'node:util';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright';
import { forwardFlops, type UNetTopology } from '../src/core/model/manifest';
import { chromiumLaunchOptions } from './chromium';
import { runLighthouse, type LighthouseFigures } from './lighthouse';

const { values } = parseArgs({
  options: {
    models: { type: 'string', default: 'blur' },
    repeats: { type: 'string', default: '20' },
    steps: { type: 'string', default: '4' },
    quick: { type: 'boolean', default: false },
    'report-only': { type: 'boolean', default: false },
    'training-only': { type: 'boolean', default: false },
  },
});
const ROOT = join(import.meta.dirname, '..');
const TMP = join(ROOT, 'bench', 'tmp');
const repeats = values.quick ? 5 : Number(values.repeats);
/** name -> folder with model.json */
const models = new Map(values.models.split(',').map((m) => (m.includes('=') ? [m.split('=')[0]!, join(ROOT, m.split('=')[1]!)] : [m, join(ROOT, 'public', 'models', m)])));
const PAGE_PORT = 4184;
const APP_PORT = 4183;
const TCMALLOC = '/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4';

interface Figure { runtime: string; backend: string; threads: number | null; medianMs: number | null; minMs?: number | null; maxAbsDiff?: number | null; note?: string }
interface ModelResults { model: string; topology: unknown; parameters: number | null; figures: Figure[]; skipped: string[] }

function log(s: string) {
  process.stdout.write(`${s}\n`);
}

// ---- 1. native PyTorch --------------------------------------------------------------------
function torchBaseline(model: string, dir: string): { figures: Figure[]; info: Record<string, unknown> | null; skipped: string | null } {
  const out = join(TMP, model);
  const env = { ...process.env, ...(existsSync(TCMALLOC) ? { LD_PRELOAD: TCMALLOC } : {}) };
  const r = spawnSync('/usr/bin/python3', ['training/bench_torch.py', '--model', dir, '--out', out, '--threads', '1,2', '--repeats', String(repeats)], { cwd: ROOT, env, encoding: 'utf8' });
  if (r.status !== 0) return { figures: [], info: null, skipped: `native PyTorch and onnxruntime-web: training/bench_torch.py failed (${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}); needs Debian's python3-torch` };
  const info = JSON.parse(readFileSync(join(out, 'torch.json'), 'utf8')) as { times: Record<string, { median_ms: number; min_ms: number }>; torch: string };
  const figures = Object.entries(info.times).map(([threads, t]) => ({ runtime: `PyTorch ${info.torch} fp32 (native)`, backend: 'cpu', threads: Number(threads), medianMs: t.median_ms, minMs: t.min_ms, maxAbsDiff: 0 }));
  return { figures, info, skipped: null };
}

// ---- 2. the same network in Chromium ------------------------------------------------------
const MIME: Record<string, string> = { '.png': 'image/png', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json', '.html': 'text/html' };
const ROUTES: [string, string][] = [
  ['/bench/', TMP],
  ['/ort/', join(ROOT, 'node_modules', 'onnxruntime-web', 'dist')],
  ['/tfjs-wasm/', join(ROOT, 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist')],
  ['/samples/', join(ROOT, 'public', 'samples')],
];

function pageServer(): Promise<Server> {
  for (const [name, dir] of models) ROUTES.push([`/models/${name}/`, dir]);
  const html = '<!doctype html><meta charset="utf-8"><title>bench</title><script type="module" src="/page.js"></script>';
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    // Cross-origin isolated, as the app: both runtimes' threads need SharedArrayBuffer.
    const headers = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp', 'Cache-Control': 'no-store' };
    if (path === '/') return res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end(html);
    if (path === '/blank') return res.writeHead(200, { ...headers, 'Content-Type': 'text/html' }).end('<!doctype html><title>blank</title>');
    const file = path === '/page.js' ? join(TMP, 'page.js') : (() => {
      const route = ROUTES.find(([prefix]) => path.startsWith(prefix));
      return route ? normalize(join(route[1], path.slice(route[0].length))) : null;
    })();
    // Nothing outside the served folders (normalize resolves any ../).
    const servable = file !== null && (file === join(TMP, 'page.js') || ROUTES.some(([, dir]) => file.startsWith(dir))) && existsSync(file) && statSync(file).isFile();
    if (!servable) return res.writeHead(404, headers).end();
    res.writeHead(200, { ...headers, 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  return new Promise((resolve) => server.listen(PAGE_PORT, '127.0.0.1', () => resolve(server)));
}

async function inPage(browser: Browser, query: string, timeoutMs: number): Promise<{ medianMs: number; minMs: number; maxAbsDiff: number; threads: number | null; error?: string }> {
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${PAGE_PORT}/?${query}`);
    await page.waitForFunction(() => 'benchResult' in window, null, { timeout: timeoutMs, polling: 500 });
    return await page.evaluate(() => (window as unknown as { benchResult: never }).benchResult);
  } finally {
    await page.close();
  }
}

async function hardwareWebGpu(browser: Browser): Promise<string | null> {
  const page = await browser.newPage();
  try {
    await page.goto(`http://127.0.0.1:${PAGE_PORT}/blank`);
    return await page.evaluate(async () => {
      const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; description?: string; isFallbackAdapter?: boolean } } | null> } }).gpu;
      const adapter = await gpu?.requestAdapter();
      if (!adapter) return null;
      const name = `${adapter.info?.vendor ?? ''} ${adapter.info?.description ?? ''}`;
      return adapter.info?.isFallbackAdapter || /swiftshader|llvmpipe|software/i.test(name) ? null : name.trim() || 'unknown';
    });
  } finally {
    await page.close();
  }
}

async function browserFigures(browser: Browser, model: string, hardwareGpu: string | null): Promise<Figure[]> {
  const figures: Figure[] = [];
  const configs: { runtime: 'ort' | 'tfjs'; backend: string; threads: number; repeats: number; note?: string }[] = [
    { runtime: 'ort', backend: 'wasm', threads: 1, repeats },
    { runtime: 'ort', backend: 'wasm', threads: 2, repeats },
    ...(hardwareGpu ? [{ runtime: 'ort' as const, backend: 'webgpu', threads: 1, repeats }] : []),
    { runtime: 'tfjs', backend: 'wasm', threads: 1, repeats },
    { runtime: 'tfjs', backend: 'wasm', threads: 2, repeats },
    // Software GPU adapters and plain JavaScript take seconds per forward here: 2 runs each.
    { runtime: 'tfjs', backend: 'webgl', threads: 1, repeats: hardwareGpu ? repeats : 2, ...(hardwareGpu ? {} : { note: 'software GPU (SwiftShader)' }) },
    { runtime: 'tfjs', backend: 'webgpu', threads: 1, repeats: hardwareGpu ? repeats : 2, ...(hardwareGpu ? {} : { note: 'software GPU (SwiftShader)' }) },
    { runtime: 'tfjs', backend: 'cpu', threads: 1, repeats: 2 },
  ];
  if (values.quick) configs.splice(configs.findIndex((c) => c.backend === 'webgl'));
  for (const c of configs) {
    const label = c.runtime === 'ort' ? 'onnxruntime-web 1.30' : 'tfjs 4.22, our U-Net';
    try {
      const r = await inPage(browser, `runtime=${c.runtime}&backend=${c.backend}&threads=${c.threads}&model=${model}&repeats=${c.repeats}`, 600_000);
      if (r.error) throw new Error(r.error);
      // Outputs first: a fast wrong answer is not a result.
      const agrees = r.maxAbsDiff <= 1e-3;
      figures.push({ runtime: label, backend: c.backend, threads: c.backend === 'wasm' ? r.threads : null, medianMs: agrees ? r.medianMs : null, minMs: agrees ? r.minMs : null, maxAbsDiff: r.maxAbsDiff, ...(agrees ? (c.note ? { note: c.note } : {}) : { note: `output differs from PyTorch by ${r.maxAbsDiff.toExponential(1)}: time not kept` }) });
    } catch (e) {
      figures.push({ runtime: label, backend: c.backend, threads: c.threads, medianMs: null, note: `failed: ${(e as Error).message.slice(0, 160)}` });
    }
    const f = figures.at(-1)!;
    log(`  ${f.runtime} ${f.backend}${f.threads ? ` ${f.threads}t` : ''}: ${f.medianMs?.toFixed(0) ?? '–'} ms (diff ${f.maxAbsDiff?.toExponential(1) ?? '–'})${f.note ? ` ${f.note}` : ''}`);
  }
  return figures;
}

// ---- 3. training your own transform's restorer ----------------------------------------------
interface TrainingFigure {
  backend: string;
  threads: number | null;
  recipe: string;
  /** The recipe's batch, crop and channels, as words ("8 of 64×64, channels 24-48-64"). */
  shape: string;
  parameters: number | null;
  msPerStep: number | null;
  pageChoice: boolean;
  shares: { forwardConv: number; gradientInput: number; gradientFilter: number; kernelMs: number; others?: [string, number][] } | null;
  note?: string;
}

async function trainingFigures(browser: Browser, hardwareGpu: string | null): Promise<TrainingFigure[]> {
  const figures: TrainingFigure[] = [];
  // Each backend's own recipe and the larger ones around it; software GPUs and plain JavaScript take seconds a step here.
  // (On SwiftShader a step of the large network took 16 s on WebGL and over a minute on WebGPU: one timed step there.)
  const slow = (recipe: string) => (hardwareGpu ? 10 : recipe === 'large' ? 1 : 2);
  const configs: { backend: string; threads: number; recipe: 'tiny' | 'small' | 'large'; repeats: number }[] = [
    ...[1, 2].flatMap((threads) => (['tiny', 'small', 'large'] as const).map((recipe) => ({ backend: 'wasm', threads, recipe, repeats: recipe === 'large' ? 5 : 10 }))),
    { backend: 'cpu', threads: 1, recipe: 'tiny', repeats: 3 },
    ...(values.quick ? [] : ['webgl', 'webgpu'].flatMap((backend) => (['small', 'large'] as const).map((recipe) => ({ backend, threads: 1, recipe, repeats: slow(recipe) })))),
  ];
  for (const c of configs) {
    const base = { backend: c.backend, threads: c.backend === 'wasm' ? c.threads : null, recipe: c.recipe, shape: '–' };
    try {
      const result = (await inPage(browser, `runtime=train&backend=${c.backend}&threads=${c.threads}&recipe=${c.recipe}&repeats=${c.repeats}&software=${hardwareGpu ? 0 : 1}`, 900_000)) as unknown as { msPerStep: number; parameters: number; pageChoice: boolean; threads: number | null; shape: string; shares: TrainingFigure['shares']; error?: string };
      if (result.error) throw new Error(result.error);
      figures.push({ ...base, shape: result.shape, threads: result.threads, parameters: result.parameters, msPerStep: result.msPerStep, pageChoice: result.pageChoice, shares: result.shares, ...(!hardwareGpu && c.backend.startsWith('web') ? { note: 'software GPU (SwiftShader)' } : {}) });
    } catch (e) {
      figures.push({ ...base, parameters: null, msPerStep: null, pageChoice: false, shares: null, note: `failed: ${(e as Error).message.slice(0, 160)}` });
    }
    const f = figures.at(-1)!;
    log(`  training ${f.recipe} on ${f.backend}${f.threads ? ` ${f.threads}t` : ''}: ${f.msPerStep?.toFixed(0) ?? '–'} ms a step${f.shares ? `; convolutions: forward ${(100 * f.shares.forwardConv).toFixed(0)} %, dx ${(100 * f.shares.gradientInput).toFixed(0)} %, dW ${(100 * f.shares.gradientFilter).toFixed(0)} %; ${f.shares.others?.map(([k, v]) => `${k} ${(100 * v).toFixed(0)} %`).join(', ')}` : ''}${f.note ? ` ${f.note}` : ''}`);
  }
  return figures;
}

// ---- 4. the app ---------------------------------------------------------------------------
/** The app's own profile of a step (src/core/engine/events.ts, StepProfile): each phase's median over the run. */
type StepPhases = Record<'network' | 'operators' | 'paths' | 'readBack' | 'pixels' | 'handOff', number> & { aside?: number };

interface AppFigures {
  step: { threads: string; msPerStep: number | null; profile?: StepPhases | null }[];
  /** The same with another program holding one core all along (`node -e 'for(;;){}'`): 16 steps, two loads each (their mean, and each). */
  stepUnderLoad?: { threads: string; msPerStep: number | null; profile?: StepPhases | null; loads?: (number | null)[] }[];
  coldLoadToFirstFrameMs: number | null;
  cachedLoadToFirstFrameMs: number | null;
  /** The page's own account of each start (startupMarks.ts): ms per phase from the page's start to the first step. */
  coldPhases?: Phases | null;
  cachedPhases?: Phases | null;
  longestMainThreadTaskMs: number | null;
  tensorsAfterRuns: { runs: number; first: number[]; last: number[] } | null;
  /** GPU backends (software here): building the programs as the model arrives, against leaving it to the first step. */
  /** Lighthouse 12.2.3 on the built page (scripts/lighthouse.ts), as a phone and as a desktop. */
  lighthouse?: LighthouseFigures[] | null;
  lighthouseSkipped?: string;
  gpuWarmUp?: { backend: string; warmUp: boolean; warmUpMs: number | null; firstStepMs: number | null; laterStepMs: number | null; loadToLastFrameMs: number }[];
}

type Phases = { phase: string; ms: number }[];

/** Load to the first step shown (ms), and the page's own account of its start (startupMarks.ts), phase by phase. */
async function firstFrame(page: Page, url: string): Promise<{ ms: number; phases: Phases | null }> {
  const t0 = Date.now();
  await page.goto(url);
  const status = page.getByTestId('compute-status');
  await status.filter({ hasText: /computed [1-9]|all steps computed/ }).waitFor({ timeout: 300_000 });
  const ms = Date.now() - t0;
  await page.waitForFunction(() => document.querySelector('[data-testid=compute-status]')?.hasAttribute('data-startup'), undefined, { timeout: 10_000 }).catch(() => undefined);
  const text = await status.getAttribute('data-startup');
  return { ms, phases: text ? (JSON.parse(text) as Phases) : null };
}

async function appFigures(browser: Browser): Promise<AppFigures> {
  const steps = Number(values.steps);
  const base = `http://localhost:${APP_PORT}/#img=ladybird&deg=blur&t=${steps}&backend=wasm&frame=0&fps=8&seed=1`;
  const step: AppFigures['step'] = [];
  const stepUnderLoad: NonNullable<AppFigures['stepUnderLoad']> = [];
  const appStep = async (threads: number, load: boolean, url = base) => {
    // Another program that holds one core for the whole run: what a visitor's compile, video call or game does.
    const hog = load ? spawn(process.execPath, ['-e', 'for(;;){}'], { stdio: 'ignore' }) : null;
    // Not left spinning if the bench ends on an error (Ctrl-C reaches it too: the same process group).
    const stopHog = () => hog?.kill();
    hog?.on('error', () => undefined);
    process.once('exit', stopHog);
    const context = await browser.newContext();
    try {
      const page = await context.newPage();
      if (threads) await page.addInitScript((n) => ((globalThis as { coldDiffusionWasmThreads?: number }).coldDiffusionWasmThreads = n), threads);
      await page.goto(url);
      const status = page.getByTestId('compute-status');
      await status.filter({ hasText: 'all steps computed' }).waitFor({ timeout: 300_000 });
      const ms = Number(/(\d+) ms\/step/.exec((await status.textContent()) ?? '')?.[1]);
      const running = await page.getByTestId('backend-badge').getAttribute('title');
      const profileText = await status.getAttribute('data-step-profile');
      const profile = profileText ? (JSON.parse(profileText) as StepPhases) : null;
      const row = { threads: threads ? String(threads) : `measured: ${running?.split(', ').at(-1)}`, msPerStep: Number.isFinite(ms) ? ms : null, profile };
      log(`  app step, WASM ${row.threads}${load ? ', one core held by another program' : ''}: ${ms} ms${profile ? `; ${Object.entries(profile).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}` : ''}`);
      return row;
    } finally {
      await context.close();
      stopHog();
      process.removeListener('exit', stopHog);
    }
  };
  for (const threads of [1, 2, 0]) step.push(await appStep(threads, false));
  // Issue 28: the measured count never slower than one thread under load (and how it compares with 2). Loaded, one load's
  // time swings by a third: 16 steps a load, and each count twice, in turn.
  const loadedUrl = base.replace(`t=${steps}`, 't=16');
  const loaded: AppFigures['step'][] = [[], [], []];
  for (let round = 0; round < 2; round++) for (const [i, threads] of [1, 2, 0].entries()) loaded[i]!.push(await appStep(threads, true, loadedUrl));
  for (const runs of loaded) stepUnderLoad.push({ threads: runs.map((r) => r.threads).join(' / '), msPerStep: runs.every((r) => r.msPerStep !== null) ? Math.round(runs.reduce((a, r) => a + r.msPerStep!, 0) / runs.length) : null, loads: runs.map((r) => r.msPerStep) });
  // Cold (empty cache) and cached loads, the longest main-thread task, tensors over 10 runs.
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.addInitScript(() => {
    const w = window as unknown as { longest: number };
    w.longest = 0;
    new PerformanceObserver((list) => list.getEntries().forEach((e) => (w.longest = Math.max(w.longest, e.duration)))).observe({ type: 'longtask', buffered: true });
  });
  const { ms: cold, phases: coldPhases } = await firstFrame(page, base);
  // A real second load with the files cached: a link that differs only after # would not reload the page.
  await page.goto('about:blank');
  const { ms: cached, phases: cachedPhases } = await firstFrame(page, base.replace('seed=1', 'seed=2'));
  await page.reload();
  await page.getByTestId('compute-status').filter({ hasText: 'all steps computed' }).waitFor({ timeout: 300_000 });
  const status = page.getByTestId('compute-status');
  const memory = async () => [Number(await status.getAttribute('data-tensors')), Number(await status.getAttribute('data-bytes'))];
  await page.evaluate(() => ((window as unknown as { longest: number }).longest = 0));
  const first = await memory();
  for (let i = 0; i < 10; i++) {
    await page.evaluate((s) => (location.hash = location.hash.replace(/seed=\d+/, `seed=${s}`)), 10 + i);
    await status.filter({ hasText: 'all steps computed' }).waitFor({ timeout: 300_000 });
  }
  await page.waitForTimeout(500);
  const last = await memory();
  const longest = await page.evaluate(() => (window as unknown as { longest: number }).longest);
  await context.close();
  log(`  cold load to first frame ${cold} ms, cached ${cached} ms; longest main-thread task ${longest.toFixed(0)} ms; tensors ${first} -> ${last}`);
  const gpuWarmUp: NonNullable<AppFigures['gpuWarmUp']> = [];
  for (const backend of ['webgl', 'webgpu']) {
    for (const warmUp of [true, false]) {
      const context = await browser.newContext();
      const page = await context.newPage();
      if (!warmUp) await page.addInitScript(() => ((globalThis as { coldDiffusionGpuWarmUp?: boolean }).coldDiffusionGpuWarmUp = false));
      const t0 = Date.now();
      await page.goto(`http://localhost:${APP_PORT}/#img=ladybird&deg=blur&t=3&backend=${backend}&frame=0&fps=8&seed=1`);
      const status = page.getByTestId('compute-status');
      await status.filter({ hasText: 'all steps computed' }).waitFor({ timeout: 600_000 });
      const loadToLastFrameMs = Date.now() - t0;
      const running = await page.getByTestId('backend-badge').getAttribute('data-backend');
      const number = (v: string | null) => (v !== null && Number.isFinite(Number(v)) ? Number(v) : null);
      const warmUpMs = number(await page.getByTestId('model-status').getAttribute('data-warm-up-ms'));
      const firstStepMs = number(await status.getAttribute('data-first-step-ms'));
      const profile = await status.getAttribute('data-step-profile');
      // The phases on the step's path: pixels made aside, in a second worker, are not.
      const laterStepMs = profile ? Object.entries(JSON.parse(profile) as Record<string, number>).reduce((a, [k, v]) => a + (k === 'aside' ? 0 : v), 0) : null;
      await context.close();
      if (running !== backend) {
        log(`  ${backend}: not available here (ran on ${running})`);
        break;
      }
      gpuWarmUp.push({ backend, warmUp, warmUpMs, firstStepMs, laterStepMs, loadToLastFrameMs });
      log(`  ${backend}, programs built ${warmUp ? 'ahead' : 'at the first step'}: warm-up ${warmUpMs?.toFixed(0) ?? '–'} ms, first step ${firstStepMs?.toFixed(0)} ms, later ${laterStepMs?.toFixed(0)} ms, load to the last of 3 frames ${loadToLastFrameMs} ms`);
    }
  }
  return { step, stepUnderLoad, coldLoadToFirstFrameMs: cold, cachedLoadToFirstFrameMs: cached, coldPhases, cachedPhases, longestMainThreadTaskMs: Math.round(longest), tensorsAfterRuns: { runs: 10, first, last }, gpuWarmUp };
}

// ---- report -------------------------------------------------------------------------------
function ratio(a: number | null | undefined, b: number | null | undefined): string {
  return a && b ? `${(a / b).toFixed(1)}×` : '–';
}

/** bench/results.json: one run's figures (the training rows may come from a later run: trainingWhen). */
interface SavedResults { when: string; cores: number; cpu?: string; models: ModelResults[]; app: AppFigures | null; training?: TrainingFigure[] | null; trainingWhen?: string; trainingMachine?: Machine }

/** The machine the figures were measured on: read from results.json when the report is rewritten elsewhere. */
interface Machine { cores: number; cpu: string }

function thisMachine(): Machine {
  return { cores: cpus().length, cpu: cpus()[0]?.model ?? 'unknown CPU' };
}

function trainingMarkdown(training: TrainingFigure[], when: string | undefined, machine: Machine | undefined): string[] {
  const pct = (v: number | undefined) => (v === undefined ? '–' : `${(100 * v).toFixed(0)} %`);
  const lines = [
    `## Training a restorer for your own transform (src/core/own/trainer.ts), in Chromium${when ? ` (measured on ${when}${machine ? ` with ${machine.cores} cores (${machine.cpu})` : ''}, a later run than the figures above)` : ''}`,
    '',
    'A step: the transform D (`20~gauss.l.4.4.0~darken.l.60`) on one batch of random crops of 6 gallery pictures, the forward, the backward, Adam and the EMA; the median of the timed steps after a first, untimed one (on a software GPU, the mean of the one or two timed).',
    "The convolutions' shares are of one profiled step's time in the backend's kernels (tf.profile): the forward's, and the gradients' (trainableConv.ts: dx, and dW as one 'valid' convolution with the batch as its channels).",
    '',
    '| backend | threads | network (recipe: batch of crop, channels) | parameters | ms per step | steps/s | images/s | forward convolutions | gradient convolutions (dx + dW) | the largest other kernels | the page trains this here | note |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const f of training) {
    const s = f.shares;
    const batch = Number(/^(\d+) of/.exec(f.shape)?.[1]);
    lines.push(`| ${f.backend} | ${f.threads ?? '–'} | ${f.recipe}: ${f.shape} | ${f.parameters?.toLocaleString('en') ?? '–'} | ${f.msPerStep?.toFixed(0) ?? '–'} | ${f.msPerStep ? (1000 / f.msPerStep).toFixed(2) : '–'} | ${f.msPerStep && batch ? ((1000 * batch) / f.msPerStep).toFixed(1) : '–'} | ${pct(s?.forwardConv)} | ${s ? `${pct(s.gradientInput + s.gradientFilter)} (${pct(s.gradientInput)} + ${pct(s.gradientFilter)})` : 'not timed per kernel'} | ${s?.others?.map(([k, v]) => `${k} ${pct(v)}`).join(', ') ?? '–'} | ${f.pageChoice ? 'yes' : ''} | ${f.note ?? ''} |`);
  }
  lines.push('');
  return lines;
}

function markdown(results: ModelResults[], app: AppFigures | null, when: string, machine: Machine, training: TrainingFigure[] | null, trainingWhen?: string, trainingMachine?: Machine): string {
  const lines = [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\` (scripts/bench-browser.ts) on ${when}: ${machine.cores} logical cores (${machine.cpu}), Chromium headless, 128×128, batch 2 (the app's`,
    'naive and improved chains in one forward), median of the repeats. Every figure comes from the same run (but training rows a heading says were measured later): compare within this file only.',
    'A time is kept only when that runtime\'s output agrees with PyTorch\'s to 1e-3 (max abs diff shown).',
    '',
  ];
  for (const m of results) {
    const torch2 = m.figures.find((f) => f.runtime.startsWith('PyTorch') && f.threads === 2)?.medianMs;
    const torch1 = m.figures.find((f) => f.runtime.startsWith('PyTorch') && f.threads === 1)?.medianMs;
    const ort = (t: number | null) => m.figures.find((f) => f.runtime.startsWith('onnxruntime') && f.backend === 'wasm' && f.threads === t)?.medianMs;
    const flops = m.topology ? 2 * forwardFlops(m.topology as UNetTopology, 128) : null;
    lines.push(`## ${m.model}: ${JSON.stringify(m.topology)} (${m.parameters ?? '?'} parameters, ${flops ? (flops / 1e9).toFixed(1) : '?'} GFLOP per batch-2 forward), one forward`, '');
    lines.push('| runtime | backend | threads | ms | GFLOP/s | × native (same threads) | × onnxruntime-web wasm (same threads) | max abs diff vs PyTorch | note |', '|---|---|---|---|---|---|---|---|---|');
    for (const f of m.figures) {
      const native = f.threads === 1 ? torch1 : torch2;
      const gflops = flops && f.medianMs ? (flops / 1e6 / f.medianMs).toFixed(0) : '–';
      lines.push(`| ${f.runtime} | ${f.backend} | ${f.threads ?? '–'} | ${f.medianMs?.toFixed(0) ?? '–'} | ${gflops} | ${ratio(f.medianMs, native)} | ${ratio(f.medianMs, ort(f.threads ?? 1))} | ${f.maxAbsDiff?.toExponential(1) ?? '–'} | ${f.note ?? ''} |`);
    }
    for (const s of m.skipped) lines.push('', `Skipped: ${s}`);
    lines.push('');
  }
  if (results.length > 1) {
    const ms = (m: ModelResults, runtime: string, threads: number) => m.figures.find((f) => f.runtime.startsWith(runtime) && f.backend !== 'webgl' && f.backend !== 'webgpu' && f.threads === threads)?.medianMs ?? null;
    const first = results[0]!;
    lines.push(`## The networks side by side (forward ms; in brackets: how many times faster than ${first.model})`, '');
    lines.push('| network | parameters | tfjs wasm 1 thread | tfjs wasm 2 threads | PyTorch 2 threads |', '|---|---|---|---|---|');
    for (const m of results) {
      const cell = (runtime: string, threads: number) => {
        const v = ms(m, runtime, threads);
        const base = ms(first, runtime, threads);
        return v ? `${v.toFixed(0)} (${base ? (base / v).toFixed(2) : '?'}×)` : '–';
      };
      lines.push(`| ${m.model} | ${m.parameters ?? '?'} | ${cell('tfjs', 1)} | ${cell('tfjs', 2)} | ${cell('PyTorch', 2)} |`);
    }
    lines.push('');
  }
  if (app) {
    const torch2 = results.find((m) => m.model === 'blur')?.figures.find((f) => f.runtime.startsWith('PyTorch') && f.threads === 2)?.medianMs;
    lines.push('## The app (blur, WASM): one sampler step = one batch-2 forward + the blurs + tiles, paths and metrics + read-back', '');
    lines.push('| WASM threads | ms per step | × native PyTorch forward (2 threads) |', '|---|---|---|');
    for (const s of app.step) lines.push(`| ${s.threads} | ${s.msPerStep ?? '–'} | ${ratio(s.msPerStep, torch2)} |`);
    if (app.stepUnderLoad?.length) {
      const one = app.stepUnderLoad[0]?.msPerStep;
      lines.push('', "With another program holding one of the cores all along (`node -e 'for(;;){}'`, the same run, a 16-step restoration per load). Target (issue 28): the measured count never slower than 1 thread:", '');
      lines.push('| WASM threads (each of two loads, in turn) | ms per step (mean; each load) | × 1 thread under the same load |', '|---|---|---|');
      for (const s of app.stepUnderLoad) lines.push(`| ${s.threads} | ${s.msPerStep ?? '–'} (${s.loads?.map((v) => v ?? '–').join(', ') ?? ''}) | ${s.msPerStep && one ? (s.msPerStep / one).toFixed(2) : '–'} |`);
    }
    const profiled = app.step.filter((s) => s.profile);
    if (profiled.length > 0) {
      // Issue 28's target: a step ≤ 1.1× its forward, at the same threads (the network phase is that forward, in the same run).
      const fmt = (v: number) => v.toFixed(v < 10 ? 1 : 0);
      lines.push('', 'Where a step\'s time goes (the app\'s own profile, src/core/engine/runLoop.ts: each phase\'s median over the run, ms; target: step ≤ 1.1× the network):', '');
      lines.push('| WASM threads | network (the forward) | the transform and updates | true and direct paths | read-back | pixels and metrics | hand-off to the page | sum | step / network | pixels and metrics in a second worker (off the path) |', '|---|---|---|---|---|---|---|---|---|---|');
      for (const s of profiled) {
        const p = s.profile!;
        const sum = p.network + p.operators + p.paths + p.readBack + p.pixels + p.handOff;
        lines.push(`| ${s.threads} | ${fmt(p.network)} | ${fmt(p.operators)} | ${fmt(p.paths)} | ${fmt(p.readBack)} | ${fmt(p.pixels)} | ${fmt(p.handOff)} | ${fmt(sum)} | ${(sum / p.network).toFixed(2)} | ${p.aside ? fmt(p.aside) : '–'} |`);
      }
    }
    lines.push('', `- Load to the first frame: ${app.coldLoadToFirstFrameMs} ms with an empty cache, ${app.cachedLoadToFirstFrameMs} ms with the model cached (same browser context). Targets (issue 28): 2 000 and 500 ms.`);
    const phases = (p: Phases | null | undefined) => (p ? p.map((x) => `${x.phase} ${Math.round(x.ms)}`).join(', ') : 'not reported');
    lines.push(`  - Where it went, by the page's own marks (ms from the page's start; src/core/engine/startupMarks.ts): empty cache: ${phases(app.coldPhases)}; cached: ${phases(app.cachedPhases)}.`);
    const longest = app.longestMainThreadTaskMs ? `${app.longestMainThreadTaskMs} ms` : 'none of 50 ms or more (the browser reports only those)';
    lines.push(`- Longest task on the page's main thread during 10 runs: ${longest} (the work runs in a worker).`);
    lines.push(`- Tensors / bytes held by the worker between runs: ${app.tensorsAfterRuns?.first.join(' / ')} before, ${app.tensorsAfterRuns?.last.join(' / ')} after 10 more runs.`, '');
    if (app.lighthouse?.length) {
      const n = (v: number | null, digits = 0) => (v === null ? '–' : v.toFixed(digits));
      lines.push('Lighthouse 12.2.3 on the built page (pinned in package.json; the phone is its default: a 4× slower CPU and a slow network). Targets (issue 28): phone performance ≥ 90, no main-thread task over 50 ms, layout shift under 0.1:', '');
      lines.push('| as | performance | total blocking time ms | layout shift | largest contentful paint ms | first contentful paint ms | script ms | main-thread tasks ≥ 50 ms |', '|---|---|---|---|---|---|---|---|');
      for (const l of app.lighthouse) lines.push(`| ${l.formFactor === 'mobile' ? 'phone' : 'desktop'}${l.error ? ` (${l.error})` : ''} | ${n(l.performance)} | ${n(l.totalBlockingTimeMs)} | ${n(l.cumulativeLayoutShift, 3)} | ${n(l.largestContentfulPaintMs)} | ${n(l.firstContentfulPaintMs)} | ${n(l.scriptMs)} | ${l.longTasksMs.length ? `${l.longTasksMs.length}: ${l.longTasksMs.slice(0, 8).join(', ')}${l.longTasksMs.length > 8 ? ', …' : ''}` : 'none'} |`);
      lines.push('');
    } else if (app.lighthouseSkipped) lines.push(`Lighthouse skipped: ${app.lighthouseSkipped}`, '');
    if (app.gpuWarmUp?.length) {
      const ms = (v: number | null) => (v === null ? '–' : v.toFixed(0));
      lines.push("GPU backends (this machine's software adapter, SwiftShader; blur, t = 3): the network's programs built as the model arrives (src/core/model/gpuWarmUp.ts) or left to the first step:", '');
      lines.push('| backend | programs built | warm-up ms | first step ms | later steps ms (median) | first step / later | page load to the last frame ms |', '|---|---|---|---|---|---|---|');
      for (const g of app.gpuWarmUp) lines.push(`| ${g.backend} | ${g.warmUp ? 'ahead' : 'at the first step'} | ${ms(g.warmUpMs)} | ${ms(g.firstStepMs)} | ${ms(g.laterStepMs)} | ${g.firstStepMs && g.laterStepMs ? (g.firstStepMs / g.laterStepMs).toFixed(2) : '–'} | ${g.loadToLastFrameMs} |`);
      lines.push('');
    }
  }
  if (training?.length) lines.push(...trainingMarkdown(training, trainingWhen, trainingMachine));
  const notes = join(ROOT, 'bench', 'NOTES.md');
  if (existsSync(notes)) lines.push(readFileSync(notes, 'utf8'));
  return `${lines.join('\n')}\n`;
}

async function main(): Promise<void> {
  if (values['report-only']) {
    const saved = JSON.parse(readFileSync(join(ROOT, 'bench', 'results.json'), 'utf8')) as SavedResults;
    const machine = { cores: saved.cores, cpu: saved.cpu ?? 'CPU not recorded' };
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), markdown(saved.models, saved.app, saved.when, machine, saved.training ?? null, saved.trainingWhen, saved.trainingMachine));
    log('rewrote BENCHMARKS.md from bench/results.json');
    return;
  }
  mkdirSync(TMP, { recursive: true });
  // The whole run is one piece of results.json, unless only the training rows are measured again (all of them: one run).
  if (values['training-only'] && values.quick) throw new Error('--training-only measures every training row again: leave out --quick');
  const savedPath = join(ROOT, 'bench', 'results.json');
  if (values['training-only'] && !existsSync(savedPath)) throw new Error(`--training-only adds to a whole run's ${savedPath}, and there is none: run the bench without it first`);
  const saved = values['training-only'] ? (JSON.parse(readFileSync(savedPath, 'utf8')) as SavedResults) : null;
  await build({ entryPoints: [join(ROOT, 'scripts', 'bench-page', 'peers.ts')], bundle: true, format: 'esm', platform: 'browser', target: 'es2022', minify: false, outfile: join(TMP, 'page.js'), logLevel: 'warning', define: { 'process.env.NODE_ENV': '"production"' } });
  const server = await pageServer();
  let app: ChildProcess | null = null;
  const browser = await chromium.launch(chromiumLaunchOptions({ webgpu: true }));
  const results: ModelResults[] = [];
  let appResult: AppFigures | null = null;
  let training: TrainingFigure[] | null = null;
  try {
    const gpu = await hardwareWebGpu(browser);
    log('training your own transform:');
    training = await trainingFigures(browser, gpu);
    for (const [model, dir] of saved ? [] : models) {
      log(`${model}:`);
      const torch = torchBaseline(model, dir);
      const entry: ModelResults = { model, topology: torch.info?.topology ?? null, parameters: (torch.info?.parameters as number) ?? null, figures: torch.figures, skipped: torch.skipped ? [torch.skipped] : [] };
      for (const f of torch.figures) log(`  ${f.runtime} ${f.threads}t: ${f.medianMs?.toFixed(0)} ms`);
      if (!gpu) entry.skipped.push('onnxruntime-web on WebGPU: no hardware WebGPU adapter in this browser (only a software one)');
      if (torch.info) entry.figures.push(...(await browserFigures(browser, model, gpu)));
      results.push(entry);
    }
    if (models.has('blur') && !saved) {
      app = spawn('npx', ['vite', 'preview', '--port', String(APP_PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
      await new Promise((r) => setTimeout(r, 3000));
      appResult = await appFigures(browser);
      try {
        appResult.lighthouse = await runLighthouse(`http://localhost:${APP_PORT}/`);
        for (const l of appResult.lighthouse) log(`  Lighthouse ${l.formFactor}: performance ${l.performance}, TBT ${l.totalBlockingTimeMs?.toFixed(0)} ms, CLS ${l.cumulativeLayoutShift?.toFixed(3)}, LCP ${l.largestContentfulPaintMs?.toFixed(0)} ms, long tasks ${l.longTasksMs.join(', ') || 'none'}${l.error ? ` (${l.error})` : ''}`);
      } catch (e) {
        appResult.lighthouseSkipped = (e as Error).message;
        log(`  Lighthouse skipped: ${appResult.lighthouseSkipped}`);
      }
    }
  } finally {
    await browser.close();
    server.close();
    app?.kill();
  }
  const now = new Date().toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
  const out: SavedResults = saved ? { ...saved, training, trainingWhen: now, trainingMachine: thisMachine() } : { when: now, ...thisMachine(), models: results, app: appResult, training };
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify(out, null, 1)}\n`);
  writeFileSync(join(ROOT, 'BENCHMARKS.md'), markdown(out.models, out.app, out.when, { cores: out.cores, cpu: out.cpu ?? 'CPU not recorded' }, training, out.trainingWhen, out.trainingMachine));
  log('wrote bench/results.json and BENCHMARKS.md');
}

await main();
