/**
 * Chooses the page's default view honestly: measures every gallery picture × degradation × start
 * step t ∈ {T/4, T/2, 3T/4, T} (rounded, distinct, ≥ 1) with the page's default seed and the
 * trained restorer, under Node with the browser's code (the WASM backend, as scripts/eval.ts), and
 * picks the case where improved sampling beats naive by most while it also visibly restores.
 *
 *   npm run default-view                      # measure everything (20-40 min on 2 cores), then report
 *   npm run default-view -- --report-only     # the report again from the saved measurements
 *   npm run default-view -- --images ladybird --degradations pixelate --json /tmp/dv.json --md /tmp/dv.md
 *
 * Pixels: the gallery PNGs exactly as the page uses them (src/worker/decodeImage.ts decodes a
 * bundled sample untouched, no colour conversion, and draws it at 128×128, its own size; they are
 * opaque 8-bit RGB, so the white backdrop never shows). Scores: src/core/evaluation.ts
 * (evaluateImage: the degraded input x_t, direct R(x_t, t), naive and improved run to x_0).
 * Measurements go to bench/default-view.json (saved after every picture, so an interrupted run
 * resumes: cases already there are not measured again); the table and the choice to
 * docs/default-view.md; a strip of each rule's choice beside it (default-view.png, default-view-as-asked.png).
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { PNG } from 'pngjs';
import { createDegradation, DEGRADATION_IDS, degradationInfo, type DegradationId } from '../src/core/degradations';
import type { MixPool } from '../src/core/degradations';
import { evaluateImage } from '../src/core/evaluation';
import { floatToRgba, rgbaToTensor, WORKING_SIZE } from '../src/core/image';
import { psnr } from '../src/core/metrics';
import { loadModel } from '../src/core/model/loader';
import { directorySource, poolFromDirectory } from '../src/core/model/nodeSource';
import { directSampler, disposeParts, jointSampler, type Restorer } from '../src/core/samplers';
import { SAMPLES } from '../src/samples';

const root = join(import.meta.dirname, '..');
const args = parseArgs({
  options: {
    images: { type: 'string' },
    degradations: { type: 'string' },
    seed: { type: 'string', default: '1' },
    backend: { type: 'string', default: 'wasm' },
    json: { type: 'string', default: join(root, 'bench', 'default-view.json') },
    md: { type: 'string', default: join(root, 'docs', 'default-view.md') },
    'report-only': { type: 'boolean', default: false },
  },
}).values;

/** The rule (stated in the report): improved restores visibly, and is not the loser of the three. */
const RESTORES_BY_DB = 1;
const NOT_BELOW_DIRECT_DB = 1;
/**
 * The stricter rule's extra condition: naive ends below its own input, so its failure is visible.
 * Without it, dB gaps far above what an eye can see win (decolorize: naive 43 dB against improved 67).
 */
const NAIVE_BELOW_INPUT_DB = 0;
/** Near-ties in improved − naive: prefer the fewest steps (each is one network call on the visitor's device). */
const TIE_DB = 1;
/** One sampler step on WASM (one batch-2 forward; bench/NOTES.md: 153 ms on 2 threads, about 200 on one). */
const STEP_MS = [150, 200] as const;

const seed = Number(args.seed);
const pick = <T extends string>(list: string | undefined, all: readonly T[], what: string): T[] => {
  if (!list) return [...all];
  const wanted = list.split(',').map((s) => s.trim());
  for (const w of wanted) if (!all.includes(w as T)) throw new Error(`unknown ${what} "${w}" (choose ${all.join(', ')})`);
  return all.filter((a) => wanted.includes(a));
};
const imageIds = pick(args.images, SAMPLES.map((s) => s.id), 'image');
const degradationIds = pick(args.degradations, DEGRADATION_IDS, 'degradation');

/** T/4, T/2, 3T/4, T rounded (half up), distinct, at least 1. */
function startSteps(T: number): number[] {
  return [...new Set([T / 4, T / 2, (3 * T) / 4, T].map((v) => Math.max(1, Math.round(v))))];
}

interface Case {
  image: string;
  degradation: DegradationId;
  T: number;
  t: number;
  seed: number;
  psnr: { input: number; direct: number; naive: number; improved: number };
  ssim: { input: number; direct: number; naive: number; improved: number };
  ms: number;
}
interface Results {
  backend: string;
  seed: number;
  started: string;
  /** Wall time of the measurement runs, summed over resumed runs (s). */
  seconds: number;
  cases: Case[];
}

const key = (c: Pick<Case, 'image' | 'degradation' | 't'>) => `${c.image}|${c.degradation}|${c.t}`;

/** The sample's pixels as the page has them: the PNG's RGBA, already 128×128. */
function samplePixels(id: string): Uint8Array {
  const sample = SAMPLES.find((s) => s.id === id)!;
  const png = PNG.sync.read(readFileSync(join(root, 'public', 'samples', sample.file)));
  if (png.width !== WORKING_SIZE || png.height !== WORKING_SIZE) throw new Error(`${sample.file} is ${png.width}×${png.height}, not ${WORKING_SIZE}²: the page would resize it`);
  for (let i = 3; i < png.data.length; i += 4) if (png.data[i] !== 255) throw new Error(`${sample.file} has transparency: the page would composite it over white`);
  return png.data;
}

const modelsDir = join(root, 'public', 'models');

async function measure(results: Results): Promise<void> {
  await tf.setBackend(args.backend!);
  await tf.ready();
  results.backend = tf.getBackend();
  const done = new Set(results.cases.map(key));
  const total = degradationIds.reduce((n, d) => n + imageIds.length * startSteps(degradationInfo(d).T).length, 0);
  let count = results.cases.filter((c) => imageIds.includes(c.image) && degradationIds.includes(c.degradation)).length;
  const t0 = performance.now();
  let savedAt = t0;
  for (const degradation of degradationIds) {
    const T = degradationInfo(degradation).T;
    const steps = startSteps(T);
    if (imageIds.every((image) => steps.every((t) => done.has(key({ image, degradation, t }))))) continue;
    const pool: MixPool | undefined = await poolFromDirectory(modelsDir, degradation);
    const { unet } = await loadModel(directorySource(join(modelsDir, degradation)));
    const R: Restorer = (x, s) => unet.predict(x, s);
    for (const image of imageIds) {
      const x0 = rgbaToTensor(samplePixels(image), WORKING_SIZE, WORKING_SIZE);
      for (const t of steps) {
        if (done.has(key({ image, degradation, t }))) continue;
        const start = performance.now();
        const s = await evaluateImage(createDegradation(degradation, { seed, pool }), R, x0, t);
        const ms = performance.now() - start;
        const c: Case = {
          image,
          degradation,
          T,
          t,
          seed,
          psnr: { input: s.degraded.psnr, direct: s.direct.psnr, naive: s.naive.psnr, improved: s.improved.psnr },
          ssim: { input: s.degraded.ssim, direct: s.direct.ssim, naive: s.naive.ssim, improved: s.improved.ssim },
          ms,
        };
        results.cases.push(c);
        count++;
        const p = c.psnr;
        console.log(
          `[${String(count).padStart(3)}/${total}] ${image.padEnd(9)} ${degradation.padEnd(10)} t=${String(t).padStart(2)}/${T}  ` +
            `input ${f1(p.input)}  direct ${f1(p.direct)}  naive ${f1(p.naive)}  improved ${f1(p.improved)}  ` +
            `imp−naive ${f1(p.improved - p.naive)}  (${(ms / 1000).toFixed(1)} s, ${(ms / (t + 0.5)).toFixed(0)} ms/step, tensors ${tf.memory().numTensors})`,
        );
      }
      x0.dispose();
      const now = performance.now();
      results.seconds += (now - savedAt) / 1000;
      savedAt = now;
      save(results);
    }
    unet.dispose();
  }
  console.log(`measured in ${((performance.now() - t0) / 60000).toFixed(1)} min`);
}

function save(results: Results): void {
  mkdirSync(dirname(args.json!), { recursive: true });
  results.cases.sort((a, b) => imageOrder(a.image) - imageOrder(b.image) || DEGRADATION_IDS.indexOf(a.degradation) - DEGRADATION_IDS.indexOf(b.degradation) || a.t - b.t);
  writeFileSync(args.json!, JSON.stringify(results, null, 1) + '\n');
}

const imageOrder = (id: string) => SAMPLES.findIndex((s) => s.id === id);
const f1 = (x: number) => x.toFixed(1).padStart(5);
const d1 = (x: number) => x.toFixed(1);
const signed = (x: number) => (x >= 0 ? '+' : '−') + Math.abs(x).toFixed(1);
const margin = (c: Case) => c.psnr.improved - c.psnr.naive;
const byMargin = (a: Case, b: Case) => margin(b) - margin(a) || a.t - b.t;
const seconds = (t: number) => {
  const [lo, hi] = STEP_MS.map((ms) => (t * ms) / 1000);
  const d = hi! < 10 ? 1 : 0;
  return `${lo!.toFixed(d)}–${hi!.toFixed(d)} s`;
};
const link = (c: Case) => `#img=${c.image}&deg=${c.degradation}&t=${c.t}&seed=${c.seed}`;

interface Rule {
  name: string;
  /** File name of the strip of its choice, beside the report. */
  png: string;
  ok(c: Case): boolean;
}
/** The rule as asked: improved visibly restores and is not the loser of the three. */
const AS_ASKED: Rule = {
  name: 'as asked',
  png: 'default-view-as-asked.png',
  ok: (c) => c.psnr.improved > c.psnr.input + RESTORES_BY_DB && c.psnr.improved >= c.psnr.direct - NOT_BELOW_DIRECT_DB,
};
/** The same, and naive visibly fails: it ends below its own input. */
const VISIBLE: Rule = {
  name: 'naive visibly fails',
  png: 'default-view.png',
  ok: (c) => AS_ASKED.ok(c) && c.psnr.naive < c.psnr.input - NAIVE_BELOW_INPUT_DB,
};

/** The largest improved − naive among the rule's cases; among those within TIE_DB of it, the fewest steps. */
function choose(cases: Case[], rule: Rule): { chosen: Case; best: Case; ties: Case[] } | null {
  const ok = cases.filter(rule.ok).sort(byMargin);
  if (ok.length === 0) return null;
  const best = ok[0]!;
  const ties = ok.filter((c) => margin(c) >= margin(best) - TIE_DB);
  const chosen = [...ties].sort((a, b) => a.t - b.t || margin(b) - margin(a))[0]!;
  return { chosen, best, ties };
}

/** Each picture's best case under the rule (null: none), best first; pictures without one last, in gallery order. */
function galleryOrder(cases: Case[], rule: Rule): { image: string; best: Case | undefined }[] {
  return imageIds
    .map((image) => ({ image, best: cases.filter((c) => c.image === image && rule.ok(c)).sort(byMargin)[0] }))
    .sort((a, b) => (b.best ? margin(b.best) : -Infinity) - (a.best ? margin(a.best) : -Infinity) || imageOrder(a.image) - imageOrder(b.image));
}

/** Runs a case again step by step: each sampler's PSNR along the way, and a strip (input, direct, naive, improved, original). */
async function inspect(c: Case, pngPath: string): Promise<{ naivePath: number[]; improvedPath: number[]; check: Case['psnr'] }> {
  if (tf.getBackend() !== args.backend) {
    await tf.setBackend(args.backend!);
    await tf.ready();
  }
  const pool = await poolFromDirectory(modelsDir, c.degradation);
  const { unet } = await loadModel(directorySource(join(modelsDir, c.degradation)));
  const R: Restorer = (x, s) => unet.predict(x, s);
  const D = createDegradation(c.degradation, { seed: c.seed, pool });
  const x0 = rgbaToTensor(samplePixels(c.image), WORKING_SIZE, WORKING_SIZE);
  const asImg = async (x: tf.Tensor4D) => ({ data: (await x.data()) as Float32Array, width: WORKING_SIZE, height: WORKING_SIZE });
  const ref = await asImg(x0);
  const xs = D.apply(x0, c.t);
  const direct = directSampler(R, xs, c.t);
  const naivePath: number[] = [];
  const improvedPath: number[] = [];
  let last: { naive: tf.Tensor4D; improved: tf.Tensor4D } | null = null;
  for (const f of jointSampler(D, R, xs, c.t, ['naive', 'improved'] as const)) {
    if (last) tf.dispose([last.naive, last.improved]);
    disposeParts(f.chains.naive);
    disposeParts(f.chains.improved);
    last = { naive: f.chains.naive.xt, improved: f.chains.improved.xt };
    naivePath.push(psnr(await asImg(last.naive), ref));
    improvedPath.push(psnr(await asImg(last.improved), ref));
  }
  const tiles = [xs, direct, last!.naive, last!.improved, x0];
  const check = { input: psnr(await asImg(xs), ref), direct: psnr(await asImg(direct), ref), naive: naivePath.at(-1)!, improved: improvedPath.at(-1)! };
  const gap = 4;
  const png = new PNG({ width: tiles.length * WORKING_SIZE + (tiles.length - 1) * gap, height: WORKING_SIZE });
  png.data.fill(255);
  for (const [i, tile] of tiles.entries()) {
    const rgba = floatToRgba(await tile.data(), WORKING_SIZE * WORKING_SIZE);
    for (let y = 0; y < WORKING_SIZE; y++) {
      const from = y * WORKING_SIZE * 4;
      png.data.set(rgba.subarray(from, from + WORKING_SIZE * 4), (y * png.width + i * (WORKING_SIZE + gap)) * 4);
    }
  }
  mkdirSync(dirname(pngPath), { recursive: true });
  writeFileSync(pngPath, PNG.sync.write(png));
  tf.dispose([xs, direct, last!.naive, last!.improved, x0]);
  unet.dispose();
  return { naivePath, improvedPath, check };
}

async function report(results: Results): Promise<void> {
  const cases = results.cases.filter((c) => imageIds.includes(c.image) && degradationIds.includes(c.degradation));
  const mdDir = dirname(args.md!);
  const L: string[] = [];
  const yes = (b: boolean) => (b ? 'yes' : 'no');
  const row = (c: Case, rank?: number) =>
    `| ${rank === undefined ? '' : `${rank} | `}${c.image} | ${c.degradation} | ${c.t}/${c.T} | ${d1(c.psnr.input)} | ${d1(c.psnr.direct)} | ${d1(c.psnr.naive)} | ${d1(c.psnr.improved)} | **${signed(margin(c))}** | ${yes(AS_ASKED.ok(c))} | ${yes(VISIBLE.ok(c))} |`;
  const head = (ranked: boolean) => [
    `| ${ranked ? '# | ' : ''}picture | degradation | t/T | input | direct | naive | improved | improved − naive | rule as asked | naive visibly fails |`,
    `|${ranked ? '---|' : ''}---|---|---|---|---|---|---|---|---|---|`,
  ];
  const cmd = 'npm run default-view';
  const summary = (c: Case) =>
    `input ${d1(c.psnr.input)} dB → direct ${d1(c.psnr.direct)} / naive ${d1(c.psnr.naive)} / **improved ${d1(c.psnr.improved)}**, improved − naive ${signed(margin(c))} dB`;

  /** The choice under a rule, and a closer look at it (run again step by step, with a strip). */
  async function choiceSection(rule: Rule, title: string): Promise<Case | null> {
    const choice = choose(cases, rule);
    L.push(`## ${title}`, '');
    if (!choice) {
      L.push('No case satisfies the rule.', '');
      return null;
    }
    const { chosen: c, best, ties } = choice;
    L.push(
      `**${c.image}, ${c.degradation}, t = ${c.t}** of ${c.T} (link \`${link(c)}\`): ${summary(c)}; ${c.t} network calls`,
      `(steps), about ${seconds(c.t)} on WASM.`,
      best === c
        ? `It is the largest improved − naive under this rule${ties.length > 1 ? `; ${ties.length - 1} other case(s) within ${TIE_DB} dB need as many steps or more` : ', and no other case comes within ' + TIE_DB + ' dB'}.`
        : `The largest improved − naive under this rule is ${best.image}, ${best.degradation}, t = ${best.t} (${signed(margin(best))} dB, ${best.t} steps); ${ties.length} cases lie within ${TIE_DB} dB of it, and this one takes the fewest steps.`,
      '',
    );
    const look = await inspect(c, join(mdDir, rule.png));
    const naiveMin = Math.min(...look.naivePath);
    const naiveMinAt = c.t - look.naivePath.indexOf(naiveMin);
    const belowInput = c.psnr.naive < c.psnr.input;
    const naiveMax = Math.max(...look.naivePath);
    const naiveMaxAt = c.t - look.naivePath.indexOf(naiveMax);
    const peak = naiveMaxAt > 0 && naiveMax > c.psnr.naive + 1 ? ` It first climbs to ${d1(naiveMax)} dB at s = ${naiveMaxAt}, then falls.` : '';
    L.push(
      `![${c.image}, ${c.degradation} at t = ${c.t}: input, direct, naive, improved, original](${rule.png})`,
      '',
      `Left to right: the input x_${c.t} (${d1(c.psnr.input)} dB), direct (${d1(c.psnr.direct)}), naive (${d1(c.psnr.naive)}), improved`,
      `(${d1(c.psnr.improved)}), the original. Run again step by step for this page, it agrees with the table:`,
      `${d1(look.check.input)} / ${d1(look.check.direct)} / ${d1(look.check.naive)} / ${d1(look.check.improved)}.`,
      '',
      `- Final PSNR: direct ${d1(c.psnr.direct)}, naive ${d1(c.psnr.naive)}, improved ${d1(c.psnr.improved)} dB; the input ${d1(c.psnr.input)}.`,
      belowInput
        ? `- Naive **ends below its input** (${signed(c.psnr.naive - c.psnr.input)} dB): sampling makes the picture worse than the degraded one, a failure anyone sees.${peak} Its lowest point is ${d1(naiveMin)} dB at s = ${naiveMinAt}.`
        : `- Naive ends ${signed(c.psnr.naive - c.psnr.input)} dB above its input: it restores too, so its failure is only relative (its lowest point on the way: ${d1(naiveMin)} dB at s = ${naiveMinAt}).`,
      c.psnr.improved >= c.psnr.direct
        ? `- Improved beats direct by ${d1(c.psnr.improved - c.psnr.direct)} dB.`
        : `- Improved is ${d1(c.psnr.direct - c.psnr.improved)} dB below direct (within the rule's ${NOT_BELOW_DIRECT_DB} dB).`,
      `- PSNR along the way, s = ${c.t} … 0: naive ${look.naivePath.map(d1).join(' ')}; improved ${look.improvedPath.map(d1).join(' ')}.`,
      '',
    );
    return c;
  }

  L.push('# The default view: measured, then chosen', '');
  L.push(
    `Written by \`scripts/default-view.ts\` (\`${cmd}\`; \`${cmd} -- --report-only\` rewrites this page from`,
    `\`bench/default-view.json\` without measuring again). Every gallery picture (\`src/samples.json\`, the PNGs`,
    `exactly as the page decodes them: 128×128, untouched) × every degradation × start step t ∈ {T/4, T/2, 3T/4, T}`,
    `(rounded, distinct), with seed ${results.seed} (the page's default; it places the hole, the snow, the noise and`,
    `the mixed-in picture) and the trained restorer, scored by the page's own code under Node`,
    `(\`src/core/evaluation.ts\`, backend ${results.backend}). PSNR in dB against the original, of the degraded`,
    `input x_t, direct R(x_t, t), and the naive and improved samplers run down to x_0. ${cases.length} cases,`,
    `measured in ${(results.seconds / 60).toFixed(1)} min on a 2-core machine shared with other jobs (${results.started.slice(0, 10)}).`,
    `One picture and one seed per case: single cases, not means (EVAL.md has the held-out means).`,
    '',
  );
  L.push('## The rules', '');
  L.push(
    `**As asked**: among all cases where improved sampling visibly restores (improved > input + ${RESTORES_BY_DB} dB) and`,
    `is not the loser of the three (improved ≥ direct − ${NOT_BELOW_DIRECT_DB} dB), take the largest improved − naive:`,
    `the paper's effect. Among near-ties (within ${TIE_DB} dB of the largest) take the smallest t: the default run`,
    `costs t network calls on the visitor's device, about ${STEP_MS[0]}–${STEP_MS[1]} ms each on WASM (bench/NOTES.md),`,
    `so t = 50 takes ${seconds(50)}, t = 40 ${seconds(40)} and t = 20 ${seconds(20)} before the last frame is there.`,
    '',
    `**Naive visibly fails** (the one proposed): the same, and naive ends below its own input (naive < input).`,
    `PSNR differences far above what an eye resolves win the first rule (fade to gray: naive 40+ dB, improved`,
    `60+ dB, both indistinguishable from the original), so it picks a case that shows nothing; the second asks`,
    `that the gap be one a visitor sees.`,
    '',
  );
  const asAsked = await choiceSection(AS_ASKED, 'The choice as asked');
  const visible = await choiceSection(VISIBLE, 'The choice where naive visibly fails (proposed default)');
  const current = cases.find((c) => c.image === 'ladybird' && c.degradation === 'blur' && c.t === 20);
  if (current) {
    L.push(
      `For comparison, today's default (ladybird, blur, t = 20, ${seconds(20)}): ${summary(current)} (as asked: ${yes(AS_ASKED.ok(current))}; naive visibly fails: ${yes(VISIBLE.ok(current))}).`,
      '',
    );
  }

  for (const rule of [VISIBLE, AS_ASKED]) {
    L.push(`## Top 10 candidates, ${rule.name}`, '');
    L.push(...head(true));
    cases.filter(rule.ok).sort(byMargin).slice(0, 10).forEach((c, i) => L.push(row(c, i + 1)));
    L.push('');
  }

  L.push('## The gallery order', '');
  L.push(`Each picture ranked by its best improved − naive over the degradations and steps, under each rule.`, '');
  const orders = [VISIBLE, AS_ASKED].map((rule) => ({ rule, order: galleryOrder(cases, rule) }));
  for (const { rule, order } of orders) {
    L.push(`**${rule.name}**:`, '', '| rank | picture | best improved − naive | where | input → improved (naive) |', '|---|---|---|---|---|');
    order.forEach(({ image, best }, i) =>
      L.push(best ? `| ${i + 1} | ${image} | ${signed(margin(best))} | ${best.degradation}, t = ${best.t} | ${d1(best.psnr.input)} → ${d1(best.psnr.improved)} (${d1(best.psnr.naive)}) |` : `| ${i + 1} | ${image} | — | no case fits the rule | |`),
    );
    L.push('');
  }
  L.push(`Proposed order for \`src/samples.json\` (naive visibly fails): ${orders[0]!.order.map((r) => `\`${r.image}\``).join(', ')}.`, '');

  L.push('## Best case per degradation (naive visibly fails; as asked where none fails visibly)', '');
  L.push(...head(false));
  for (const d of degradationIds) {
    const mine = cases.filter((c) => c.degradation === d);
    const best = mine.filter(VISIBLE.ok).sort(byMargin)[0] ?? mine.filter(AS_ASKED.ok).sort(byMargin)[0];
    L.push(best ? row(best) : `| — | ${d} | | | | | | | | no case fits either rule |`);
  }
  L.push('');

  L.push('## Every case', '');
  L.push(`PSNR in dB, 1 decimal. As asked: improved > input + ${RESTORES_BY_DB} and improved ≥ direct − ${NOT_BELOW_DIRECT_DB}; naive visibly fails: that, and naive < input.`, '');
  L.push(...head(false));
  for (const c of cases) L.push(row(c));
  L.push('');

  mkdirSync(mdDir, { recursive: true });
  writeFileSync(args.md!, L.join('\n'));
  console.log(`wrote ${relative(process.cwd(), args.md!)} and ${relative(process.cwd(), args.json!)}`);
  const say = (what: string, c: Case | null) =>
    c && console.log(`${what}: ${c.image}, ${c.degradation}, t = ${c.t}: input ${d1(c.psnr.input)} direct ${d1(c.psnr.direct)} naive ${d1(c.psnr.naive)} improved ${d1(c.psnr.improved)} (improved − naive ${signed(margin(c))})`);
  say('chosen as asked', asAsked);
  say('chosen, naive visibly fails', visible);
  for (const { rule, order } of orders) console.log(`gallery order (${rule.name}): ${order.map((r) => r.image).join(', ')}`);
}

const results: Results = existsSync(args.json!)
  ? (JSON.parse(readFileSync(args.json!, 'utf8')) as Results)
  : { backend: args.backend!, seed, started: new Date().toISOString(), seconds: 0, cases: [] };
if (results.seed !== seed) throw new Error(`${args.json} holds seed ${results.seed}, not ${seed}: use another --json`);
if (!args['report-only']) await measure(results);
await report(results);
