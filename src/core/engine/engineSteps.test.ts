import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../testing/fixtures';
import { SamplingEngine, type EngineEvent } from './engine';
import { frameEvent, localPainter, PainterStopped, type StepPainter } from './stepPainter';
import { StepPictures } from './stepPictures';
import type { SweepProgress } from './stepSweep';
import type { Pixels, RunSettings } from './types';

beforeAll(useCpuBackend);

const SIZE = 32;
function picture(seed: number): Pixels {
  const rgba = new Uint8ClampedArray(SIZE * SIZE * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = i % 4 === 3 ? 255 : (i * 37 + seed * 101 + ((i >> 5) % 7) * 13) % 256;
  return { width: SIZE, height: SIZE, rgba };
}

// The oracle needs no model: these run in a moment on the CPU backend.
const oracleBlur = (t: number, steps: number): RunSettings => ({ mode: 'restore', degradation: 'blur', t, steps, seed: 1, dataset: 'faces', colour: '', sigma: 0.002, restorer: 'oracle', own: '' });

async function cpuEngine(painter?: StepPainter) {
  const events: EngineEvent[] = [];
  const engine = new SamplingEngine({ modelSource: () => ({ location: 'nowhere', read: () => Promise.reject(new Error('no model here')) }), emit: (e) => events.push(e), probe: async () => [{ name: 'cpu', available: true, software: false, detail: 'plain JavaScript' }], painter });
  await engine.setBackend('cpu');
  await engine.setImage(picture(3));
  return { engine, events };
}

describe('the engine with fewer steps than levels', () => {
  it('a run of steps = 4 from t = 20 emits frames 0..4 at the schedule’s levels, ending at the original (oracle)', async () => {
    const { engine, events } = await cpuEngine();
    await engine.run(1, oracleBlur(20, 4));
    const frames = events.filter((e): e is Extract<EngineEvent, { type: 'frame' }> => e.type === 'frame').map((e) => e.frame);
    expect(frames.map((f) => [f.index, f.t])).toEqual([[0, 20], [1, 15], [2, 10], [3, 5], [4, 0]]);
    expect(frames.at(-1)!.naive.psnr).toBeGreaterThanOrEqual(60);
    expect(frames.at(-1)!.improved.drift).toBeLessThan(1e-6);
    engine.dispose();
  });

  it('each step after frame 0 says where its time went, and the phases add up to no more than the step’s time', async () => {
    const { engine, events } = await cpuEngine();
    await engine.run(1, oracleBlur(6, 6));
    const frames = events.filter((e): e is Extract<EngineEvent, { type: 'frame' }> => e.type === 'frame');
    expect(frames[0]!.profile ?? null).toBeNull();
    for (const { profile, msPerStep } of frames.slice(1)) {
      expect(Object.keys(profile!).sort()).toEqual(['aside', 'handOff', 'network', 'operators', 'paths', 'pixels', 'readBack']);
      // Painted on the engine's own thread: nothing aside.
      expect(profile!.aside).toBe(0);
      for (const ms of Object.values(profile!)) expect(ms).toBeGreaterThanOrEqual(0);
      // The blur operators and the read-back take time on the CPU backend; the oracle's tile is the network.
      expect(profile!.operators).toBeGreaterThan(0);
      // The step's time runs from the previous frame's hand-off to this frame: it holds every phase.
      expect(Object.values(profile!).reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(msPerStep! + 1e-6);
    }
    engine.dispose();
  });

  it('a painter aside gets every step with its envelope, sends the frames itself, and the run ends through it after every frame is out', async () => {
    const frameEvents = (events: EngineEvent[]) => events.filter((e): e is Extract<EngineEvent, { type: 'frame' }> => e.type === 'frame');
    const here = await cpuEngine();
    await here.engine.run(1, oracleBlur(12, 6));
    // What the page gets from a painter aside: it answers late (the first step latest), as another thread may.
    const page: EngineEvent[] = [];
    let pictures: StepPictures | null = null;
    let unsent = 0;
    let sending: Promise<unknown> = Promise.resolve();
    const slow: StepPainter = {
      aside: true,
      begin: (start) => (pictures = new StepPictures(start)),
      paint: (floats, envelope) => {
        const event = frameEvent(envelope, pictures!.paint(floats), 1, true);
        unsent++;
        sending = sending.then(() => new Promise((resolve) => setTimeout(resolve, floats.first ? 30 : 1))).then(() => (page.push(event), unsent--));
        return sending.then(() => ({ sentAt: Date.now() }));
      },
      after: (event) => page.push({ ...event, ...(unsent ? { unsent } : {}) } as EngineEvent),
    };
    const aside = await cpuEngine(slow);
    await aside.engine.run(1, oracleBlur(12, 6));
    expect(frameEvents(aside.events).map((e) => e.frame.index)).toEqual([0]);
    const [a, b] = [frameEvents(here.events).slice(1), frameEvents(page)];
    expect(b.map((e) => e.frame.index)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(page.at(-1)).toEqual({ type: 'runDone', runId: 1, msPerStep: expect.any(Number) });
    for (let i = 0; i < a.length; i++) {
      expect(b[i]!.frame).toEqual(a[i]!.frame);
      expect(b[i]!.profile!.aside).toBe(1);
      expect(b[i]!.profile!.pixels).toBe(0);
    }
    here.engine.dispose();
    aside.engine.dispose();
  });

  it('a painter aside that stops (its worker failed) has the run done again on the same backend, painted here', async () => {
    // As remotePainter.ts: the run under way fails from its first step on; the next begins here.
    const here = localPainter();
    let stopped = false;
    let runFailed = false;
    const flaky: StepPainter = {
      get aside() {
        return !stopped;
      },
      begin: (start) => {
        runFailed = false;
        here.begin(start);
      },
      paint: (floats, envelope, emit) => {
        if (!stopped || runFailed) {
          stopped = runFailed = true;
          return Promise.reject(new PainterStopped("the pictures' worker stopped: gone"));
        }
        return here.paint(floats, envelope, emit);
      },
      after: (event, emit) => emit(event),
    };
    const { engine, events } = await cpuEngine(flaky);
    await engine.run(1, oracleBlur(6, 6));
    const frames = events.filter((e): e is Extract<EngineEvent, { type: 'frame' }> => e.type === 'frame');
    // Frame 0 twice (the run began twice), then every step once, then the end.
    expect(frames.map((e) => e.frame.index)).toEqual([0, 0, 1, 2, 3, 4, 5, 6]);
    expect(events.filter((e) => e.type === 'runDone')).toHaveLength(1);
    expect(events.findIndex((e) => e.type === 'runDone')).toBeGreaterThan(events.indexOf(frames.at(-1)!));
    expect(events.filter((e) => e.type === 'backend')).toHaveLength(1);
    engine.dispose();
  });

  it('a painter that fails otherwise ends the run with its reason', async () => {
    const failing: StepPainter = { aside: true, begin: () => {}, paint: () => Promise.reject(new Error("the pictures' worker stopped: gone")), after: () => {} };
    const { engine, events } = await cpuEngine(failing);
    await expect(engine.run(1, oracleBlur(6, 6))).rejects.toThrow(/pictures' worker stopped/);
    expect(events.some((e) => e.type === 'runDone')).toBe(false);
    engine.dispose();
  });

  it('"How many steps?" follows the run it was asked for, and stops when another run is asked for', async () => {
    const { engine } = await cpuEngine();
    void engine.run(1, oracleBlur(8, 8));
    const progress: SweepProgress[] = [];
    const result = await engine.stepSweep(1, oracleBlur(8, 8), (p) => progress.push(p));
    expect(result?.points.map((p) => p.steps)).toEqual([1, 2, 4, 8]);
    expect(progress.at(-1)).toEqual({ done: 16, total: 16 });

    const stopped = engine.stepSweep(1, oracleBlur(8, 8), () => {});
    void engine.run(2, oracleBlur(5, 5));
    expect(await stopped).toBeNull();
    engine.dispose();
  });
});
