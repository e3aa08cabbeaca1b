import * as tf from '@tensorflow/tfjs-core';
import './registerGradients';
import '@tensorflow/tfjs-backend-wasm';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import type { BackendProbe } from '../backend';
import { SamplingEngine, type EngineEvent } from '../engine/engine';
import type { Pixels, RunSettings } from '../engine/types';
import { directorySource } from '../model/nodeSource';
import { PARITY_DIR, REPO_ROOT } from '../testing/fixtures';
import { encodeTransform, maskPreset } from './ownTransform';
import type { TrainingReport } from './trainingSession';

function gallery(name: string): Pixels {
  const png = PNG.sync.read(readFileSync(join(REPO_ROOT, 'public', 'samples', `${name}.png`)));
  return { width: png.width, height: png.height, rgba: new Uint8ClampedArray(png.data) };
}

const TRANSFORM = encodeTransform({
  T: 10,
  blocks: [
    { kind: 'darken', curve: 'linear', values: [80] },
    { kind: 'mask', curve: 'linear', values: [0x808080, 0] },
  ],
  mask: maskPreset('circle'),
});
const own = (restorer: RunSettings['restorer']): RunSettings => ({ mode: 'own', degradation: 'blur', t: 5, steps: 5, seed: 1, dataset: 'faces', colour: '', sigma: 0.002, restorer, own: TRANSFORM });
const wasmOnly: BackendProbe[] = [{ name: 'wasm', available: true, software: false, detail: 'WebAssembly' }];

function makeEngine() {
  const events: EngineEvent[] = [];
  const engine = new SamplingEngine({ modelSource: () => directorySource(join(PARITY_DIR, 'unet-float32')), emit: (e) => events.push(e), probe: async () => wasmOnly });
  return { engine, events };
}
const reports = (events: EngineEvent[]) => events.flatMap((e) => (e.type === 'training' ? [e.report] : []));

describe('training a restorer for your own transform, in the engine (WASM under Node)', () => {
  it('a run before training shows its input and says why it stops; training lowers the loss, takes snapshots, is measured held out, and its restorer drives the samplers', async () => {
    const { engine, events } = makeEngine();
    await engine.setBackend('wasm');
    await engine.setImage(gallery('goldfish'));
    await engine.run(1, own('trained'));
    const done = events.find((e) => e.type === 'runDone' && e.runId === 1);
    expect(done?.type === 'runDone' && done.missing).toMatch(/press Train/);

    const pictures = { train: ['kite', 'forest', 'cups', 'elephants'].map(gallery), heldOut: ['goldfish', 'ladybird'].map(gallery) };
    const training = engine.train({ trainingId: 1, transform: TRANSFORM, recipe: 'tiny', budget: 0, loss: 'l1' }, pictures);
    // Meanwhile a run on a snapshot not yet taken says so, and the queue keeps answering.
    await engine.run(2, own('early'));
    const early = events.find((e) => e.type === 'runDone' && e.runId === 2);
    expect(early?.type === 'runDone' && early.missing).toMatch(/10 s/);
    while (!reports(events).some((r) => r.evaluation !== null && r.steps >= 300)) await new Promise((r) => setTimeout(r, 200));
    await engine.controlTraining('stop');
    await training;

    const all = reports(events);
    const last = all.at(-1)!;
    expect(last.status).toBe('stopped');
    const losses = all.flatMap((r) => r.losses.map(([, l]) => l));
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    // One t per batch makes single losses noisy (t = 1 is easy): means over 50 steps.
    console.log(`L1 loss: first 50 steps ${mean(losses.slice(0, 50)).toFixed(4)}, last 50 ${mean(losses.slice(-50)).toFixed(4)} (${losses.length} steps)`);
    expect(mean(losses.slice(-50))).toBeLessThan(0.9 * mean(losses.slice(0, 50)));
    const evaluations = all.flatMap((r) => (r.evaluation ? [r.evaluation] : []));
    const final = evaluations.at(-1)!;
    console.log('held out at t = 5:', evaluations.map((e) => `step ${e.steps}: input ${e.input.toFixed(2)} direct ${e.direct.toFixed(2)} naive ${e.naive.toFixed(2)} improved ${e.improved.toFixed(2)}`).join('; '));
    expect(final.t).toBe(5);
    // One network call restores: darkening is learnt within seconds (the mask takes longer).
    expect(final.direct).toBeGreaterThan(final.input + 1);
    expect(final.improved).toBeGreaterThan(final.input + 1);
    expect(final.preview?.improved.rgba.length).toBe(128 * 128 * 4);
    expect(last.snapshots.map((s) => s.name)).toContain('trained');
    expect(last.snapshots.find((s) => s.name === 'trained')!.steps).toBe(last.steps);

    await engine.run(3, own('trained'));
    const frames = events.filter((e): e is Extract<EngineEvent, { type: 'frame' }> => e.type === 'frame' && e.runId === 3);
    expect(frames.map((f) => f.frame.index)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(frames.at(-1)!.frame.improved.psnr!).toBeGreaterThan(frames[0]!.frame.improved.psnr!);
    engine.dispose();
  }, 120_000);

  it('a loss that turns NaN stops training, says so and keeps the last good snapshot', async () => {
    const { engine, events } = makeEngine();
    await engine.setBackend('wasm');
    await engine.setImage(gallery('goldfish'));
    const pictures = { train: [gallery('kite')], heldOut: [gallery('goldfish')] };
    const session = engine.train({ trainingId: 2, transform: TRANSFORM, recipe: 'tiny', budget: 0, loss: 'l1' }, pictures);
    const original = tf.Tensor.prototype.dataSync;
    let calls = 0;
    // The 40th scalar read (a step's loss) comes back NaN, as from weights that overflowed.
    const poisoned = function (this: tf.Tensor) {
      const values = original.call(this);
      return this.size === 1 && ++calls === 40 ? Float32Array.of(NaN) : values;
    };
    tf.Tensor.prototype.dataSync = poisoned as typeof original;
    try {
      await session;
    } finally {
      tf.Tensor.prototype.dataSync = original;
    }
    const last: TrainingReport = reports(events).at(-1)!;
    expect(last.status).toBe('diverged');
    expect(reports(events).map((r) => r.message).join(' ')).toMatch(/diverged at step \d+ \(the loss became NaN\)/);
    engine.dispose();
  }, 60_000);
});

describe('a warm start from a shipped restorer', () => {
  const shippedModels = (dir = join(REPO_ROOT, 'public', 'models')) => (id: string) => directorySource(join(dir, id));
  // 64×64 centres of the held-out pictures: the shipped network is ~16 times the tiny one, and a check needs only its one call.
  const centre = (name: string): Pixels => {
    const full = gallery(name);
    const rgba = new Uint8ClampedArray(64 * 64 * 4);
    for (let y = 0; y < 64; y++) rgba.set(full.rgba.subarray(((y + 32) * full.width + 32) * 4, ((y + 32) * full.width + 96) * 4), y * 64 * 4);
    return { width: 64, height: 64, rgba };
  };
  const pictures = { train: ['kite', 'forest'].map(gallery), heldOut: ['goldfish', 'ladybird'].map(centre) };
  const blurTransform = (sigmas: [number, number, number], curve: 'linear' | 'ease-out' = 'linear') => encodeTransform({ T: 20, blocks: [{ kind: 'gauss', curve, values: sigmas }], mask: maskPreset('circle') });

  async function trainUntilDecided(modelSource: (id: string) => ReturnType<typeof directorySource>, transform: string, warm: 'blur' | 'inpaint', recipe: 'small' | 'tiny' = 'small') {
    const events: EngineEvent[] = [];
    const engine = new SamplingEngine({ modelSource, emit: (e) => events.push(e), probe: async () => wasmOnly });
    await engine.setBackend('wasm');
    const training = engine.train({ trainingId: 1, transform, recipe, budget: 0, loss: 'l2', warm }, pictures);
    // The first evaluation comes after the decision, at step 0.
    while (!reports(events).some((r) => r.evaluation !== null)) await new Promise((r) => setTimeout(r, 100));
    await engine.controlTraining('stop');
    await training;
    engine.dispose();
    const all = reports(events);
    return { all, message: all.map((r) => r.message ?? '').join(' '), first: all.find((r) => r.evaluation)!.evaluation! };
  }

  it('keeps the shipped blur restorer for a blur like its own, and step 0 restores as it does', async () => {
    // σ 6 at t = 10 (8 × ease-out(1/2)), about the blur the shipped restorer undoes at its t = 20 of 40.
    const { all, message, first } = await trainUntilDecided(shippedModels(), blurTransform([8, 8, 0], 'ease-out'), 'blur');
    console.log(message, `step 0: input ${first.input.toFixed(2)} direct ${first.direct.toFixed(2)} improved ${first.improved.toFixed(2)}`);
    expect(message).toMatch(/Starts from the shipped blur restorer: its one call at t = 10 gives [\d.]+ dB/);
    expect(all.at(-1)!.recipe).toBe('shipped');
    expect(all.at(-1)!.parameters).toBeGreaterThan(1_000_000);
    expect(first.steps).toBe(0);
    expect(first.direct).toBeGreaterThan(first.input + 0.5);
  }, 120_000);

  it('keeps it for a weaker blur, which it restores when told a smaller t (a fine-tuning remaps t)', async () => {
    // σ 5 at t = 10: told t = 10 the shipped restorer sharpens too much; told about t = 8 it fits.
    const { all, message } = await trainUntilDecided(shippedModels(), blurTransform([10, 10, 0]), 'blur');
    console.log(message);
    expect(message).toMatch(/Starts from the shipped blur restorer: its one call at t = 10 gives [\d.]+ dB on the held-out pictures if told t = [5-9] \(told 10: [\d.]+ dB; training adapts it within steps\), the input [\d.]+ dB/);
    expect(all.at(-1)!.recipe).toBe('shipped');
  }, 120_000);

  it('does not keep it for a blur it was not trained on, and says so with the figures', async () => {
    const { all, message, first } = await trainUntilDecided(shippedModels(), blurTransform([6, 1, 30]), 'blur');
    console.log(message);
    expect(message).toMatch(/The shipped blur restorer does not fit this transform \(its one call at t = 10 gives [\d.]+ dB on the held-out pictures(?: if told t = \d+ \(told 10: [\d.]+ dB\))?, the input [\d.]+ dB\), so a new network trains/);
    expect(all.at(-1)!.recipe).toBe('small');
    // A new network is the identity at step 0.
    expect(Math.abs(first.direct - first.input)).toBeLessThan(0.01);
  }, 120_000);

  it('a stop while it decides builds nothing and leaves no tensor behind', async () => {
    const events: EngineEvent[] = [];
    const engine = new SamplingEngine({ modelSource: shippedModels(), emit: (e) => events.push(e), probe: async () => wasmOnly });
    await engine.setBackend('wasm');
    const before = tf.memory().numTensors;
    const training = engine.train({ trainingId: 1, transform: blurTransform([10, 10, 0]), recipe: 'small', budget: 0, loss: 'l2', warm: 'blur' }, pictures);
    while (!reports(events).some((r) => r.message?.startsWith('Loading'))) await new Promise((r) => setTimeout(r, 10));
    await engine.controlTraining('stop');
    await training;
    const last = reports(events).at(-1)!;
    expect(last.status).toBe('stopped');
    expect(last.steps).toBe(0);
    expect(last.snapshots).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
    engine.dispose();
  }, 60_000);

  it('trains a new network when the shipped restorer is missing or is another network', async () => {
    const missing = await trainUntilDecided(() => directorySource('/nonexistent'), blurTransform([10, 10, 0]), 'inpaint');
    expect(missing.message).toMatch(/^Loading the shipped inpaint restorer and measuring it on the held-out pictures…/);
    expect(missing.message).toMatch(/The shipped inpaint restorer could not be used \(.+\), so a new network trains/);
    expect(missing.all.at(-1)!.recipe).toBe('small');
    const other = await trainUntilDecided(() => directorySource(join(PARITY_DIR, 'unet-float32')), blurTransform([10, 10, 0]), 'blur');
    expect(other.message).toMatch(/could not be used \(its network \([\d-]+ channels\) is not the 48-96-128-128 one a warm start trains\)/);
    expect(other.all.at(-1)!.recipe).toBe('small');
    // Plain JavaScript (the tiny network's backend) is not given the shipped network at all.
    const slow = await trainUntilDecided(shippedModels(), blurTransform([10, 10, 0]), 'blur', 'tiny');
    expect(slow.message).toMatch(/could not be used \(its network is too large for plain JavaScript\)/);
    expect(slow.all.at(-1)!.recipe).toBe('tiny');
  }, 60_000);
});
