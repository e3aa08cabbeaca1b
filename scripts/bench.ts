/**
 * Speed benchmarks, reported as ratios measured in one run (these machines are noisy):
 *  - blur D(x, t): cost at t = T over t = 1 (the closed form should keep it near 1);
 *  - U-Net forward at 128×128: batch 2 (naive + improved together) over 2 × batch 1
 *    (what sharing one forward pass per step saves);
 *  - the shipped float16 weights vs float32 decode: same forward cost (sanity);
 *  - each generator's network: forward at batch 2 (one step of naive + improved) and batch 8 (the grid);
 *  - the engine's sampler step (tiles, paths, metrics) over the step as it was before them;
 *  - training a restorer for your own transform: steps/s and images/s of each recipe on the backend
 *    the page gives it (tiny on plain JavaScript, small on WASM; large for the GPUs is measured in the
 *    browser: e2e/webgpu.spec.ts, scripts/own-quality.ts), and a step over a batch-1 forward.
 * Backend: tfjs WASM in Node (the browser's CPU fallback), or --backend cpu.
 *   npm run bench [-- --backend wasm|cpu --repeats 5]
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
// The gradients that training your own transform's restorer needs (src/core/own/registerGradients.ts says why this way).
import '@tensorflow/tfjs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDegradation, DEGRADATION_IDS } from '../src/core/degradations';
import { GENERATORS } from '../src/core/degradations/catalog';
import { BlurDegradation } from '../src/core/degradations/blur';
import { SamplingEngine } from '../src/core/engine/engine';
import type { StepProfile } from '../src/core/engine/events';
import { floatToRgba } from '../src/core/image';
import { psnr } from '../src/core/metrics';
import { loadModel } from '../src/core/model/loader';
import { forwardFlops } from '../src/core/model/manifest';
import { directorySource, poolFromDirectory } from '../src/core/model/nodeSource';

const { values: args } = parseArgs({
  options: { backend: { type: 'string', default: 'wasm' }, repeats: { type: 'string', default: '5' } },
});
const backend = args.backend;
const repeats = Number(args.repeats);

async function median(fn: () => tf.Tensor, n = repeats): Promise<number> {
  const warm = fn();
  await warm.data();
  warm.dispose();
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const y = fn();
    await y.data();
    times.push(performance.now() - t0);
    y.dispose();
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)]!;
}

await tf.setBackend(backend);
await tf.ready();
const root = join(import.meta.dirname, '..');
const D = new BlurDegradation();
const x1 = tf.randomUniform([1, 128, 128, 3], -1, 1) as tf.Tensor4D;
const x2 = tf.randomUniform([2, 128, 128, 3], -1, 1) as tf.Tensor4D;

const blurT1 = await median(() => D.apply(x1, 1));
const blurTHalf = await median(() => D.apply(x1, D.T / 2));
const blurT = await median(() => D.apply(x1, D.T));

const { unet } = await loadModel(directorySource(join(root, 'public', 'models', 'blur')));
const fwd1 = await median(() => unet.predict(x1, 20));
const fwd2 = await median(() => unet.predict(x2, 20));
const mem = tf.memory();

console.log(`backend: ${tf.getBackend()}  (median of ${repeats}, 128×128)`);
console.log(`blur D(x, t):          t=1 ${blurT1.toFixed(1)} ms, t=T/2 ${blurTHalf.toFixed(1)} ms, t=T ${blurT.toFixed(1)} ms → cost(T)/cost(1) = ${(blurT / blurT1).toFixed(2)}`);
console.log(`U-Net forward:         batch 1 ${fwd1.toFixed(0)} ms, batch 2 ${fwd2.toFixed(0)} ms → batch 2 / (2 × batch 1) = ${(fwd2 / (2 * fwd1)).toFixed(2)}`);
console.log(`one sampler step (both samplers, incl. 3 blurs): ≈ ${(fwd2 + 3 * blurT).toFixed(0)} ms`);
console.log(`blur share of a step:  ${((3 * blurT) / (fwd2 + 3 * blurT) * 100).toFixed(1)} %`);
console.log(`tensors alive: ${mem.numTensors}, bytes: ${(mem.numBytes / 1024 / 1024).toFixed(1)} MB (weights ${(unet.parameterCount * 4 / 1024 / 1024).toFixed(1)} MB)`);

// Where a forward's time goes (tf.profile): per kernel, its share, and the convolutions' rate.
{
  const profile = await tf.profile(async () => {
    const y = unet.predict(x2, 20);
    await y.data();
    y.dispose();
  });
  const byKernel = new Map<string, number>();
  for (const k of profile.kernels) byKernel.set(k.name, (byKernel.get(k.name) ?? 0) + (Number(k.kernelTimeMs) || 0));
  const total = [...byKernel.values()].reduce((a, b) => a + b, 0);
  const flops = 2 * forwardFlops(unet.topology, 128);
  const conv = byKernel.get('FusedConv2D') ?? 0;
  console.log(`\nprofile of one batch-2 forward (${(flops / 1e9).toFixed(1)} GFLOP of 3×3 convolutions): ${total.toFixed(0)} ms in kernels`);
  for (const [name, ms] of [...byKernel].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  ${name.padEnd(22)} ${ms.toFixed(1).padStart(7)} ms  ${((100 * ms) / total).toFixed(1).padStart(5)} %`);
  console.log(`  FusedConv2D rate: ${(flops / 1e6 / conv).toFixed(0)} GFLOP/s on ${backend}`);
}

// Every degradation: its operator at T/2 (after the first call, which builds masks/fields)
// against its own model's batch-2 forward, i.e. the operator's share of one sampler step.
console.log('\nper degradation (128×128, t = T/2): first call / later calls, forward batch 2, operator share of a step (3 calls)');
for (const id of DEGRADATION_IDS) {
  const op = createDegradation(id, { seed: 1, pool: await poolFromDirectory(join(root, 'public', 'models'), id) });
  const s = Math.max(1, Math.floor(op.T / 2));
  const t0 = performance.now();
  const first = op.apply(x1, s);
  await first.data();
  first.dispose();
  const firstMs = performance.now() - t0;
  const later = await median(() => op.apply(x1, s));
  const { unet: model } = await loadModel(directorySource(join(root, 'public', 'models', id)));
  const forward = await median(() => model.predict(x2, s));
  model.dispose();
  console.log(`  ${id.padEnd(11)} ${firstMs.toFixed(1).padStart(6)} / ${later.toFixed(1).padStart(5)} ms, forward ${forward.toFixed(0).padStart(4)} ms (${(model.parameterCount / 1e6).toFixed(2)} M params), share ${((3 * later) / (forward + 3 * later) * 100).toFixed(1)} %`);
}

// What the explaining layer costs a sampler step (issue: "extra tiles and the chart ≤ 15 %"):
// Generators: what a visitor waits for one sample forming (naive + improved, T steps of batch 2) and the grid
// (8 seeds, improved, T steps of batch 8), forward only; D at these sizes costs little beside it.
console.log('\ngenerators: forward batch 2 / batch 8 → one sample (T steps, naive + improved) / the grid of 8 (T steps)');
for (const [name, g] of Object.entries(GENERATORS)) {
  const { unet: model } = await loadModel(directorySource(join(root, 'public', 'models', g.modelId)));
  const T = g.schedule.T;
  const xs = [2, 8].map((b) => tf.randomUniform([b, g.size, g.size, 3], -1, 1) as tf.Tensor4D);
  const [f2, f8] = [await median(() => model.predict(xs[0]!, T / 2)), await median(() => model.predict(xs[1]!, T / 2))];
  xs.forEach((x) => x.dispose());
  model.dispose();
  console.log(`  ${name.padEnd(9)} ${g.size}×${g.size}, T = ${T}, ${(model.parameterCount / 1e6).toFixed(2)} M params: ${f2!.toFixed(1)} / ${f8!.toFixed(1)} ms → ${((T * f2!) / 1000).toFixed(2)} s / ${((T * f8!) / 1000).toFixed(2)} s`);
}

// the step as the worker ran it before (forward, three D calls, x_t and x̂0 read back as pixels)
// against the engine's step now (plus D(x̂0, s) for naive, the true path D(x0, s−1) and direct's
// path, every tile read back, the residual, drift and PSNR), both at blur T/2 on 128×128.
{
  const x0 = tf.randomUniform([1, 128, 128, 3], -1, 1, 'float32', 7) as tf.Tensor4D;
  const reference = (await x0.data()) as Float32Array;
  const asPixels = async (x: tf.Tensor4D) => floatToRgba((await x.data()) as Float32Array, 128 * 128);
  const s = D.T / 2;
  const before = async () => {
    const xs = D.apply(x0, s);
    const states = [xs, tf.clone(xs)];
    const t0 = performance.now();
    const est = tf.tidy(() => tf.split<tf.Tensor4D>(unet.predict(tf.concat4d(states, 0), s), 2, 0));
    const naive = D.apply(est[0]!, s - 1);
    const improved = tf.tidy(() => tf.add<tf.Tensor4D>(tf.sub(states[1]!, D.apply(est[1]!, s)), D.apply(est[1]!, s - 1)));
    for (const x of [naive, est[0]!, improved, est[1]!]) await asPixels(x);
    for (const x of [naive, improved]) psnr({ data: (await x.data()) as Float32Array, width: 128, height: 128 }, { data: reference, width: 128, height: 128 });
    const ms = performance.now() - t0;
    tf.dispose([xs, ...states, ...est, naive, improved]);
    return ms;
  };
  const msPerStep: number[] = [];
  const profiles: StepProfile[] = [];
  const engine = new SamplingEngine({
    modelSource: () => directorySource(join(root, 'public', 'models', 'blur')),
    emit: (e) => {
      if (e.type === 'frame' && e.msPerStep !== null) msPerStep.push(e.msPerStep);
      if (e.type === 'frame' && e.profile) profiles.push(e.profile);
    },
    probe: async () => [{ name: backend as 'wasm' | 'cpu', available: true, software: false, detail: '' }],
  });
  await engine.setBackend(backend as 'wasm' | 'cpu');
  await engine.setImage({ width: 128, height: 128, rgba: floatToRgba(reference, 128 * 128) });
  const mid = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
  const beforeMs: number[] = [];
  await before();
  // Interleaved, so both see the same machine load.
  for (let r = 0; r < Math.max(2, Math.ceil(repeats / 2)); r++) {
    for (let i = 0; i < 3; i++) beforeMs.push(await before());
    await engine.run(r + 1, { mode: 'restore', degradation: 'blur', t: s + 3, steps: s + 3, seed: 1, dataset: 'faces', colour: '', sigma: 0.002, restorer: 'trained', own: '' });
  }
  engine.dispose();
  // The engine's first step includes the model's first forward; drop each run's first frame.
  const now = mid(msPerStep.filter((_, i) => i % (s + 3) !== 0));
  console.log(`\nexplaining layer: step before ${mid(beforeMs).toFixed(0)} ms, engine step now ${now.toFixed(0)} ms → now / before = ${(now / mid(beforeMs)).toFixed(2)} (target ≤ 1.15)`);
  // Where a step's milliseconds go (the engine's own profile of each step, runLoop.ts), against one
  // batch-2 forward of the same network measured in this run (issue 28: a step ≤ 1.1× its forward).
  const kept = profiles.filter((_, i) => i % (s + 3) !== 0);
  const phases = (Object.keys(kept[0]!) as (keyof StepProfile)[]).filter((k) => k !== 'aside'); // Node paints on the step's thread
  const forward = await median(() => unet.predict(x2, s));
  const parts = phases.map((k) => [k, mid(kept.map((p) => p[k]))] as const);
  console.log(`app step / forward: ${now.toFixed(0)} ms / ${forward.toFixed(0)} ms = ${(now / forward).toFixed(2)} (target ≤ 1.1); per phase (median ms): ${parts.map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`);
}

// Training your own transform's restorer (src/core/own): a step (forward + backward + Adam + EMA) on the
// recipe each CPU backend gets, over that network's batch-1 forward at its crop size.
{
  const { OwnTrainer, TRAINING_RECIPES } = await import('../src/core/own/trainer');
  const { recipeFor } = await import('../src/core/own/trainingSession');
  const { parseTransform } = await import('../src/core/own/ownTransform');
  const { PNG } = await import('pngjs');
  const { readFileSync } = await import('node:fs');
  console.log('\ntraining your own transform (20~gauss.l.4.4.0~darken.l.60; 6 gallery pictures):');
  for (const name of ['wasm', 'cpu'] as const) {
    await tf.setBackend(name);
    await tf.ready();
    const { recipe } = recipeFor(name);
    const r = TRAINING_RECIPES[recipe];
    const pictures = ['elephants', 'raindrops', 'cups', 'dandelion', 'sunflower', 'forest'].map((id) => {
      const png = PNG.sync.read(readFileSync(join(root, 'public', 'samples', `${id}.png`)));
      return tf.tidy(() => tf.sub(tf.div(tf.cast(tf.slice(tf.tensor3d(Uint8Array.from(png.data), [png.height, png.width, 4], 'int32'), [0, 0, 0], [png.height, png.width, 3]), 'float32'), 127.5), 1) as tf.Tensor3D);
    });
    const trainer = new OwnTrainer(parseTransform('20~gauss.l.4.4.0~darken.l.60').transform, pictures, r);
    const steps = name === 'cpu' ? 3 : 10;
    trainer.step();
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) trainer.step();
    const stepMs = (performance.now() - t0) / steps;
    const snapshot = trainer.snapshot();
    const x = tf.randomUniform([1, r.crop, r.crop, 3], -1, 1) as tf.Tensor4D;
    const forward = await median(() => snapshot.predict(x, 10), 3);
    console.log(`  ${name.padEnd(5)} ${recipe} (${r.channels.join('-')}, ${trainer.parameterCount.toLocaleString('en')} params, batch ${r.batch} of ${r.crop}×${r.crop}): ${(1000 / stepMs).toFixed(2)} steps/s, ${((1000 * r.batch) / stepMs).toFixed(1)} images/s; step / forward(batch 1) = ${(stepMs / forward).toFixed(1)}`);
    tf.dispose([x, ...pictures]);
    snapshot.dispose();
    trainer.dispose();
  }
}
