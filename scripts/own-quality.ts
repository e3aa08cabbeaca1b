/**
 * How good a restorer trained in the page gets, as a visitor would train it: the built app in Debian's
 * Chromium, WASM (cross-origin isolated, so its threads run), Train with a 3-minute budget, then the
 * held-out PSNR at T/2 (goldfish, ladybird, kite: never trained on) of input / one call / naive /
 * improved at the first evaluation after 1 minute and at the end, for three example transforms.
 * Writes bench/own-quality.json and prints a Markdown table (README, "Your own transform").
 *   npm run build && tsx scripts/own-quality.ts [--budget 180] [--only blur,mask,swirl]
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright';
import { encodeTransform, maskPreset, PRESETS } from '../src/core/own/ownTransform';
import type { TrainingEvaluation } from '../src/core/own/trainingSession';
import { chromiumLaunchOptions } from './chromium';
import { wideSwirl } from './formerPresets';

const { values } = parseArgs({ options: { budget: { type: 'string', default: '180' }, only: { type: 'string', default: '' } } });
const ROOT = join(import.meta.dirname, '..');
const PORT = 4186;

/** The three examples: an anisotropic blur, a painted mask, a swirl plus a fade. */
const EXAMPLES = {
  blur: { label: 'anisotropic Gaussian blur (σ 6 × 1 px at 30°)', own: encodeTransform({ T: 20, blocks: [{ kind: 'gauss', curve: 'linear', values: [6, 1, 30] }], mask: maskPreset('circle') }) },
  mask: { label: 'painted mask (the "scratch" preset), grown over t', own: encodeTransform(PRESETS.scratch.transform()) },
  swirl: { label: 'swirl 360° within 40 % then fade to gray (the "swirl" preset)', own: encodeTransform(PRESETS.swirl.transform()) },
  // The preset until 2026-12-06 (formerPresets.ts), a wide turn, and the same with a quarter of the angle: how far
  // improved sampling's first-order step carries a warp.
  swirlWide: { label: 'swirl 360° within 70 % then fade to gray (eased in)', own: encodeTransform(wideSwirl(360)) },
  swirl90: { label: 'swirl 90° within 70 % then fade to gray (eased in)', own: encodeTransform(wideSwirl(90)) },
} as const;

type Evaluation = Omit<TrainingEvaluation, 'preview'>;

async function main() {
  const budget = Number(values.budget);
  const only = values.only ? values.only.split(',') : Object.keys(EXAMPLES);
  const server = spawn('npx', ['vite', 'preview', '--port', String(PORT), '--strictPort'], { cwd: ROOT, stdio: 'ignore' });
  await new Promise((r) => setTimeout(r, 3000));
  const browser = await chromium.launch(chromiumLaunchOptions());
  const results: Record<string, { label: string; own: string; threads: string | null; atOneMinute: Evaluation | null; atEnd: Evaluation; stepsPerSecond: string }> = {};
  try {
    for (const [id, example] of Object.entries(EXAMPLES)) {
      if (!only.includes(id)) continue;
      const page = await (await browser.newContext({ viewport: { width: 1280, height: 1000 } })).newPage();
      await page.goto(`http://localhost:${PORT}/#mode=own&own=${example.own}&t=10&budget=${budget}&backend=wasm`);
      await page.getByTestId('backend-badge').waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid=backend-badge]')?.getAttribute('data-backend') === 'wasm', null, { timeout: 60_000 });
      await page.getByTestId('train').click();
      const started = Date.now();
      await page.waitForFunction(() => ['done', 'failed', 'diverged'].includes(document.querySelector('[data-testid=training-status]')?.getAttribute('data-status') ?? ''), null, { timeout: (budget + 240) * 1000, polling: 2000 });
      const evaluations = JSON.parse((await page.getByTestId('psnr-chart').getAttribute('data-evaluations')) ?? '[]') as Evaluation[];
      const status = await page.getByTestId('training-status').innerText();
      const threads = await page.getByTestId('backend-badge').getAttribute('title');
      const atEnd = evaluations.at(-1)!;
      const atOneMinute = evaluations.find((e) => e.seconds >= 60) ?? null;
      results[id] = { label: example.label, own: example.own, threads, atOneMinute, atEnd, stepsPerSecond: status };
      console.log(`${id}: ${((Date.now() - started) / 1000).toFixed(0)} s wall; ${status.replace(/\n/g, ' ')}`);
      for (const [when, e] of [['1 min', atOneMinute], ['end', atEnd]] as const) {
        if (e) console.log(`  ${when} (step ${e.steps}, ${e.seconds.toFixed(0)} s): input ${e.input.toFixed(2)}, direct ${e.direct.toFixed(2)}, naive ${e.naive.toFixed(2)}, improved ${e.improved.toFixed(2)}`);
      }
      await page.context().close();
    }
  } finally {
    await browser.close();
    server.kill();
  }
  mkdirSync(join(ROOT, 'bench'), { recursive: true });
  // A run of some examples (--only) keeps the others' last figures; each result carries its own date and budget.
  const file = join(ROOT, 'bench', 'own-quality.json');
  const earlier = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { results?: Record<string, unknown> }).results ?? {} : {};
  const date = new Date().toISOString();
  const stamped = Object.fromEntries(Object.entries(results).map(([id, r]) => [id, { ...r, date, budget }]));
  writeFileSync(file, `${JSON.stringify({ date, budget, results: { ...earlier, ...stamped } }, null, 1)}\n`);
  console.log('\n| transform | after | steps | input | one call | naive | improved |\n|---|---|---|---|---|---|---|');
  for (const r of Object.values(results)) {
    for (const [when, e] of [['1 min', r.atOneMinute], [`${budget / 60} min`, r.atEnd]] as const) {
      if (e) console.log(`| ${r.label} | ${when} | ${e.steps} | ${e.input.toFixed(1)} | ${e.direct.toFixed(1)} | ${e.naive.toFixed(1)} | **${e.improved.toFixed(1)}** |`);
    }
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
