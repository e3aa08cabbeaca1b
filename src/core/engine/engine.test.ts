import * as tf from '@tensorflow/tfjs-core';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendProbe } from '../backend';
import { ModelLoadError, type FileSource } from '../model/loader';
import { directorySource } from '../model/nodeSource';
import { PARITY_DIR, REPO_ROOT, useCpuBackend } from '../testing/fixtures';
import { SamplingEngine, type EngineEvent } from './engine';
import type { Pixels, RunSettings } from './types';

beforeAll(useCpuBackend);

// A small blur model (8-16-16 channels) written by PyTorch for the parity tests, on 32×32 pictures.
const MODEL_DIR = join(PARITY_DIR, 'unet-float32');
const SIZE = 32;

function picture(seed: number): Pixels {
  const rgba = new Uint8ClampedArray(SIZE * SIZE * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = i % 4 === 3 ? 255 : (i * 37 + seed * 101 + ((i >> 5) % 7) * 13) % 256;
  return { width: SIZE, height: SIZE, rgba };
}

const blur = (t: number): RunSettings => ({ mode: 'restore', degradation: 'blur', t, steps: t, seed: 1, dataset: 'faces', colour: '', sigma: 0.002, restorer: 'trained', own: '' });

const cpuOnly: BackendProbe[] = [{ name: 'cpu', available: true, software: false, detail: 'plain JavaScript' }];

function makeEngine(probes: BackendProbe[] = cpuOnly, onEvent: (e: EngineEvent) => void = () => {}) {
  return makeEngineWith(() => directorySource(MODEL_DIR), probes, onEvent);
}

function makeEngineWith(modelSource: (modelId: string) => FileSource, probes: BackendProbe[] = cpuOnly, onEvent: (e: EngineEvent) => void = () => {}) {
  const events: EngineEvent[] = [];
  const engine = new SamplingEngine({
    modelSource,
    emit: (e) => {
      events.push(e);
      onEvent(e);
    },
    probe: async () => probes,
  });
  return { engine, events };
}

const framesOf = (events: EngineEvent[], runId: number) =>
  events.filter((e): e is Extract<EngineEvent, { type: 'frame' }> => e.type === 'frame' && e.runId === runId).map((e) => e.frame.index);
const doneOf = (events: EngineEvent[], runId: number) => events.some((e) => e.type === 'runDone' && e.runId === runId);

describe('the sampling engine', () => {
  it('runs one settings object: frame 0 (the degraded input), one frame per step, then done', async () => {
    const { engine, events } = makeEngine();
    await engine.setBackend('cpu');
    await engine.setImage(picture(1));
    await engine.run(1, blur(6));
    expect(framesOf(events, 1)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(doneOf(events, 1)).toBe(true);
    const last = events.filter((e) => e.type === 'frame').at(-1);
    expect(last?.type === 'frame' && last.frame.t).toBe(0);
    engine.dispose();
  });

  it('sends the parts each update used: naive moves to D(x̂0, s−1), improved to x_s − D(x̂0, s) + D(x̂0, s−1); direct is the first estimate', async () => {
    const { engine, events } = makeEngine();
    await engine.setBackend('cpu');
    await engine.setImage(picture(6));
    await engine.run(1, blur(5));
    const frames = events.flatMap((e) => (e.type === 'frame' && e.runId === 1 ? [e.frame] : []));
    expect(frames[0]!.direct).toBeNull();
    expect(frames[1]!.direct!.x0!.rgba).toEqual(frames[1]!.naive.step!.x0.rgba);
    expect(frames[1]!.direct!.x0!.rgba).toEqual(frames[1]!.improved.step!.x0.rgba);
    let checked = 0;
    let worst = 0;
    for (let i = 1; i < frames.length; i++) {
      expect(frames[i]!.naive.xt.rgba).toEqual(frames[i]!.naive.step!.atPrev.rgba);
      const xs = frames[i - 1]!.improved.xt.rgba;
      const { atS, atPrev } = frames[i]!.improved.step!;
      const next = frames[i]!.improved.xt.rgba;
      for (let j = 0; j < next.length; j++) {
        if (j % 4 === 3 || [xs[j], atS.rgba[j], atPrev.rgba[j], next[j]].some((v) => v === 0 || v === 255)) continue; // alpha, clipped
        worst = Math.max(worst, Math.abs(next[j]! - (xs[j]! - atS.rgba[j]! + atPrev.rgba[j]!)));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(1000);
    expect(worst).toBeLessThanOrEqual(2);
    // Drift from the true path starts at 0 (x_t = D(x0, t)) and PSNR is measured for all three.
    expect(frames[0]!.naive.drift).toBe(0);
    expect(frames.at(-1)!.improved.psnr).toBeGreaterThan(0);
    expect(frames.at(-1)!.direct!.pathPsnr).toBeCloseTo(frames[1]!.direct!.psnr!, 6);
    engine.dispose();
  });

  it('with the oracle restorer both samplers end exactly at the original', async () => {
    const { engine, events } = makeEngine();
    await engine.setBackend('cpu');
    await engine.setImage(picture(7));
    await engine.run(1, { ...blur(12), restorer: 'oracle' });
    const last = events.filter((e): e is Extract<EngineEvent, { type: 'frame' }> => e.type === 'frame').at(-1)!.frame;
    expect(last.t).toBe(0);
    expect(last.naive.psnr).toBeGreaterThanOrEqual(60);
    expect(last.improved.psnr).toBeGreaterThanOrEqual(60);
    expect(last.improved.drift).toBeLessThan(1e-6);
    engine.dispose();
  });

  it('refuses the oracle when there is no original (generating)', async () => {
    const engine = new SamplingEngine({ modelSource: () => directorySource(join(PARITY_DIR, '..', '..', 'public', 'models', 'generate')), emit: () => {}, probe: async () => cpuOnly });
    await engine.setBackend('cpu');
    await expect(engine.run(1, { mode: 'generate', degradation: 'blur', t: 20, steps: 20, seed: 3, dataset: 'garments', colour: '', sigma: 0.002, restorer: 'oracle', own: '' })).rejects.toThrow(/needs an original/);
    engine.dispose();
  });

  it('lets a newer run supersede an older one mid-way: the old one stops, the new one completes', async () => {
    let engine: SamplingEngine;
    let second: Promise<void> | null = null;
    const made = makeEngine(cpuOnly, (e) => {
      if (e.type === 'frame' && e.runId === 1 && e.frame.index === 3) second = engine.run(2, blur(4));
    });
    engine = made.engine;
    const { events } = made;
    await engine.setBackend('cpu');
    await engine.setImage(picture(2));
    await engine.run(1, blur(20));
    await second;
    const run1 = framesOf(events, 1);
    expect(run1.length).toBeGreaterThanOrEqual(4);
    expect(run1.length).toBeLessThan(21);
    expect(doneOf(events, 1)).toBe(false);
    expect(framesOf(events, 2)).toEqual([0, 1, 2, 3, 4]);
    expect(doneOf(events, 2)).toBe(true);
    // Nothing of the old run arrives once the new one has started.
    const firstOf2 = events.findIndex((e) => e.type === 'frame' && e.runId === 2);
    expect(events.slice(firstOf2).some((e) => (e.type === 'frame' || e.type === 'runDone') && e.runId === 1)).toBe(false);
    engine.dispose();
  });

  it('frees every tensor of cancelled and superseded runs: the count is back to its baseline after 10 runs', async () => {
    const waiting = new Map<string, () => void>();
    const reached = (runId: number, index: number) => new Promise<void>((resolve) => waiting.set(`${runId}:${index}`, resolve));
    const made = makeEngine(cpuOnly, (e) => {
      if (e.type === 'frame') waiting.get(`${e.runId}:${e.frame.index}`)?.();
    });
    const { engine, events } = made;
    await engine.setBackend('cpu');
    const empty = tf.memory().numTensors;
    await engine.setImage(picture(3));
    await engine.run(1, blur(3)); // model and image now cached
    const baseline = tf.memory().numTensors;
    const runs: Promise<void>[] = [];
    for (let id = 2; id <= 11; id++) {
      const midway = reached(id, 1 + (id % 3));
      runs.push(engine.run(id, blur(8)));
      await midway;
      // Even runs (and the last) are cancelled mid-way; odd ones are superseded mid-way by the next run.
      if (id % 2 === 0 || id === 11) engine.cancel(id);
    }
    await Promise.all(runs);
    await engine.idle();
    for (let id = 2; id <= 11; id++) {
      expect(doneOf(events, id)).toBe(false);
      expect(framesOf(events, id).length).toBeLessThan(9);
    }
    expect(tf.memory().numTensors).toBe(baseline);
    engine.dispose();
    expect(tf.memory().numTensors).toBe(empty);
  });

  it('hands a run over to the next backend when a GPU backend fails mid-run', async () => {
    const flaky = registerFlakyBackend('webgl');
    const probes: BackendProbe[] = [{ name: 'webgl', available: true, software: false, detail: 'test GPU' }, ...cpuOnly];
    const { engine, events } = makeEngine(probes, (e) => {
      if (e.type === 'frame' && e.frame.index === 2 && tf.getBackend() === 'webgl') flaky.lose();
    });
    await engine.setBackend('auto');
    expect(tf.getBackend()).toBe('webgl');
    await engine.setImage(picture(4));
    await engine.run(1, blur(8));
    expect(tf.getBackend()).toBe('cpu');
    const switched = events.filter((e): e is Extract<EngineEvent, { type: 'backend' }> => e.type === 'backend').at(-1);
    expect(switched?.name).toBe('cpu');
    expect(switched?.reason).toMatch(/WebGL stopped working \(device lost\)/);
    expect(doneOf(events, 1)).toBe(true);
    // The run started over on the CPU: its last frames are complete.
    expect(framesOf(events, 1).slice(-9)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
    engine.dispose();
    tf.removeBackend('webgl');
  });

  it('never lets a stalled model download block a newer request; a download nobody needs any more is cancelled', async () => {
    let aborted = false;
    const stalling: FileSource = {
      location: 'stalling/',
      read: (_name, _onBytes, signal) =>
        new Promise<ArrayBuffer>((_resolve, reject) =>
          signal?.addEventListener('abort', () => {
            aborted = true;
            reject(new Error('aborted'));
          }),
        ),
    };
    const events: EngineEvent[] = [];
    const engine = new SamplingEngine({ modelSource: () => stalling, emit: (e) => events.push(e), probe: async () => cpuOnly });
    await engine.setBackend('cpu');
    await engine.setImage(picture(8));
    const stuck = engine.run(1, blur(4)); // waits for a model that never arrives
    await expect.poll(() => framesOf(events, 1)).toEqual([0]); // the degraded input is drawn at once
    await engine.setImage(picture(9)); // a newer image is taken at once
    await engine.run(2, { ...blur(3), restorer: 'oracle' }); // and a run that needs no model completes
    await stuck;
    expect(doneOf(events, 2)).toBe(true);
    expect(doneOf(events, 1)).toBe(false);
    expect(aborted).toBe(true);
    engine.dispose();
  });

  it('moves on when a GPU backend stops answering: a read-back that never returns trips the watchdog', async () => {
    let hang = false;
    class HangingBackend extends MathBackendCPU {
      override read(dataId: object) {
        return hang ? new Promise<never>(() => {}) : super.read(dataId);
      }
    }
    tf.registerBackend('webgl', () => new HangingBackend());
    for (const kernel of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...kernel, backendName: 'webgl' });
    const probes: BackendProbe[] = [{ name: 'webgl', available: true, software: false, detail: 'test GPU' }, ...cpuOnly];
    const events: EngineEvent[] = [];
    const engine = new SamplingEngine({
      modelSource: () => directorySource(MODEL_DIR),
      emit: (e) => {
        events.push(e);
        if (e.type === 'frame' && e.frame.index === 2 && tf.getBackend() === 'webgl') hang = true;
      },
      probe: async () => probes,
      stepTimeoutMs: () => 300,
    });
    await engine.setBackend('auto');
    await engine.setImage(picture(10));
    await engine.run(1, blur(5));
    const switched = events.filter((e): e is Extract<EngineEvent, { type: 'backend' }> => e.type === 'backend').at(-1);
    expect(switched?.name).toBe('cpu');
    expect(switched?.reason).toMatch(/WebGL stopped working \(WebGL stopped answering \(no result for 0 s\)\)/);
    expect(doneOf(events, 1)).toBe(true);
    engine.dispose();
    tf.removeBackend('webgl');
  });

  it("reads the first run's model while the backend starts, and the run then uses those bytes (each file read once)", async () => {
    const inner = directorySource(MODEL_DIR);
    const reads: string[] = [];
    const counting: FileSource = { location: inner.location, read: (name, onBytes, signal) => (reads.push(name), inner.read(name, onBytes, signal)) };
    const { engine, events } = makeEngineWith(() => counting);
    engine.prefetchModel(blur(4));
    const starting = engine.setBackend('cpu');
    await new Promise((resolve) => setTimeout(resolve, 10));
    // Before any run: the files are read already.
    expect(reads.sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    await starting;
    await engine.setImage(picture(2));
    await engine.run(1, blur(4));
    expect(doneOf(events, 1)).toBe(true);
    expect(reads).toHaveLength(2);
    engine.dispose();
  });

  it('reports a missing model as a rejected run, and stays usable', async () => {
    const events: EngineEvent[] = [];
    const engine = new SamplingEngine({ modelSource: () => directorySource('/nonexistent'), emit: (e) => events.push(e), probe: async () => cpuOnly });
    await engine.setBackend('cpu');
    await engine.setImage(picture(5));
    await expect(engine.run(1, blur(4))).rejects.toThrow(/Could not read/);
    // The degraded input was still drawn.
    expect(framesOf(events, 1)).toEqual([0]);
    engine.dispose();
  });

  it('animorphosis: loads the pool from models/animorph/, mixes in the seed’s picture, and says which in the strip', async () => {
    const POOL = join(REPO_ROOT, 'public', 'models', 'animorph');
    const read: string[] = [];
    const real = directorySource(POOL);
    const { engine, events } = makeEngineWith((id) => ({ location: real.location, read: (name, ...rest) => (read.push(`${id}/${name}`), real.read(name, ...rest)) }));
    await engine.setBackend('cpu');
    await engine.setImage(picture(2));
    const strip = await engine.forwardStrip({ degradation: 'animorph', seed: 3 });
    expect(strip!.mixedIn!.index).toBe(3 % strip!.mixedIn!.count);
    expect(strip!.mixedIn!.picture.title).toBeTruthy();
    // x_T is the mixed-in picture, at the image's size a window of it.
    expect(strip!.frames.at(-1)!.t).toBe(50);
    await engine.run(1, { mode: 'restore', degradation: 'animorph', t: 3, steps: 3, seed: 3, dataset: 'faces', colour: '', sigma: 0.002, restorer: 'oracle', own: '' });
    expect(framesOf(events, 1)).toEqual([0, 1, 2, 3]);
    await engine.run(2, { mode: 'restore', degradation: 'animorph', t: 2, steps: 2, seed: 4, dataset: 'faces', colour: '', sigma: 0.002, restorer: 'oracle', own: '' });
    expect(doneOf(events, 2)).toBe(true);
    // Loaded once, whatever the seed; the blur strip needs no pool.
    expect(read.filter((r) => r === 'animorph/pool.bin')).toHaveLength(1);
    expect((await engine.forwardStrip({ degradation: 'blur', seed: 3 }))!.mixedIn).toBeNull();
    engine.dispose();
  });

  it('a pool that cannot be read fails the run with a model error, and is tried afresh next time', async () => {
    let fail = true;
    const real = directorySource(join(REPO_ROOT, 'public', 'models', 'animorph'));
    const { engine } = makeEngineWith(() => ({
      location: real.location,
      read: (name, ...rest) => (fail && name === 'pool.bin' ? Promise.reject(new ModelLoadError('pool.bin: HTTP 404', 'unreachable')) : real.read(name, ...rest)),
    }));
    await engine.setBackend('cpu');
    await engine.setImage(picture(3));
    const settings: RunSettings = { mode: 'restore', degradation: 'animorph', t: 2, steps: 2, seed: 1, dataset: 'faces', colour: '', sigma: 0.002, restorer: 'oracle', own: '' };
    await expect(engine.run(1, settings)).rejects.toThrow(/404/);
    fail = false;
    await expect(engine.run(2, settings)).resolves.toBeUndefined();
    engine.dispose();
  });
});

/** A CPU backend under another name whose every kernel throws once `lose()` is called, as a lost GPU does. */
function registerFlakyBackend(name: string): { lose(): void } {
  let lost = false;
  tf.registerBackend(name, () => new MathBackendCPU());
  for (const kernel of tf.getKernelsForBackend('cpu')) {
    const { kernelFunc } = kernel;
    tf.registerKernel({
      ...kernel,
      backendName: name,
      kernelFunc: (args) => {
        if (lost) throw new Error('device lost');
        return kernelFunc(args);
      },
    });
  }
  return { lose: () => (lost = true) };
}

describe('the grid of generated samples', () => {
  const GENERATE = join(REPO_ROOT, 'public', 'models', 'generate');
  const garments = (seed: number): RunSettings => ({ mode: 'generate', degradation: 'blur', t: 20, steps: 20, seed, dataset: 'garments', colour: '', sigma: 0.002, restorer: 'trained', own: '' });

  it('forms every seed in one batch, step by step, and each ends as the big panels end for that seed', async () => {
    const { engine, events } = makeEngineWith(() => directorySource(GENERATE));
    await engine.setBackend('cpu');
    await engine.run(1, garments(5));
    const states: { done: number; samples: Pixels[] }[] = [];
    await engine.sampleGrid({ dataset: 'garments', colour: '', sigma: 0.002, seeds: [4, 5, 6] }, (s) => states.push(s));
    expect(states.map((s) => s.done)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const last = states.at(-1)!.samples;
    const panel = events.filter((e): e is Extract<EngineEvent, { type: 'frame' }> => e.type === 'frame').at(-1)!.frame.improved.xt;
    const diff = Math.max(...panel.rgba.map((v, i) => Math.abs(v - last[1]!.rgba[i]!)));
    expect(diff).toBeLessThanOrEqual(2); // batch of 3 vs batch of 2 (naive + improved): float rounding only
    const differs = (a: Pixels, b: Pixels) => a.rgba.some((v, i) => Math.abs(v - b.rgba[i]!) > 8);
    expect(differs(last[0]!, last[1]!) && differs(last[1]!, last[2]!)).toBe(true);
    engine.dispose();
  });

  it('with no noise and one start colour, every seed gives the same picture', async () => {
    const { engine } = makeEngineWith(() => directorySource(GENERATE));
    await engine.setBackend('cpu');
    await engine.run(1, { ...garments(1), steps: 1 }); // loads the model
    let last: Pixels[] = [];
    await engine.sampleGrid({ dataset: 'garments', colour: '404040', sigma: 0, seeds: [1, 2] }, (s) => (last = s.samples));
    expect(Math.max(...last[0]!.rgba.map((v, i) => Math.abs(v - last[1]!.rgba[i]!)))).toBe(0);
    engine.dispose();
  });

  it('a newer grid stops the older one at its next step', async () => {
    const { engine } = makeEngineWith(() => directorySource(GENERATE));
    await engine.setBackend('cpu');
    await engine.run(1, { ...garments(1), steps: 1 }); // loads the model
    const first: number[] = [];
    const older = engine.sampleGrid({ dataset: 'garments', colour: '', sigma: 0.002, seeds: [0, 1] }, (s) => first.push(s.done));
    const newer = engine.sampleGrid({ dataset: 'garments', colour: '', sigma: 0, seeds: [0, 1] }, () => {});
    await Promise.all([older, newer]);
    expect(first.length).toBeLessThan(20);
    engine.dispose();
  });
});
