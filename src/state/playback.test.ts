import { describe, expect, it } from 'vitest';
import { DRAW_MS_PER_FRAME_PRIOR, drawCostPrior, playingSlowdown, secondsUntilPlayable, secondsUntilStart, STEP_TIME_MARGIN, StepTimes } from './playback';

/** Plays a run in simulated time: frames arrive every msPerStep, Play is pressed at `pressAt`. */
function simulate(t: number, msPerStep: number, fps: number, pressAt: number) {
  const arrival = (k: number) => k * msPerStep; // frame 0 at once, then one per step
  let now = pressAt;
  let frame = 0;
  let started: number | null = null;
  let stalls = 0;
  while (frame < t) {
    const computed = Math.min(t + 1, Math.floor(now / msPerStep) + 1);
    if (started === null) {
      const wait = secondsUntilPlayable({ frame, t, computed, runDone: computed > t, msPerStep, fps });
      if (wait === 0) started = now;
      now += 1000 / fps;
      continue;
    }
    if (arrival(frame + 1) <= now) frame += 1;
    else stalls += 1;
    now += 1000 / fps;
  }
  return { started, stalls };
}

describe('secondsUntilPlayable', () => {
  it('plays at once when every frame is there, or when computing outpaces playback', () => {
    expect(secondsUntilPlayable({ frame: 0, t: 20, computed: 21, runDone: true, msPerStep: 500, fps: 8 })).toBe(0);
    expect(secondsUntilPlayable({ frame: 0, t: 20, computed: 3, runDone: false, msPerStep: 50, fps: 8 })).toBe(0);
  });
  it('waits while the step time is unknown', () => {
    expect(secondsUntilPlayable({ frame: 0, t: 20, computed: 1, runDone: false, msPerStep: null, fps: 8 })).toBeNull();
  });
  it('says how long to wait when computing is slower than playback', () => {
    // 20 steps of 500 ms at 8 fps: 10 s of computing for 2.5 s of playback.
    const wait = secondsUntilPlayable({ frame: 0, t: 20, computed: 2, runDone: false, msPerStep: 500, fps: 8 })!;
    expect(wait).toBeCloseTo((19 * 500 * STEP_TIME_MARGIN - 20 * 125) / 1000, 6);
  });
  for (const [msPerStep, fps] of [[500, 8], [450, 30], [120, 8], [2000, 2], [60, 30]] as const) {
    it(`never stalls once started (${msPerStep} ms/step, ${fps} fps, 40 steps)`, () => {
      const r = simulate(40, msPerStep, fps, 0);
      expect(r.started).not.toBeNull();
      expect(r.stalls).toBe(0);
    });
  }
  it('a step 25 % slower than measured still does not stall', () => {
    // The estimate says 400 ms; the steps really take 480 ms.
    const t = 30;
    let frame = 0;
    let now = 0;
    let started = false;
    let stalls = 0;
    const fps = 10;
    while (frame < t) {
      const computed = Math.min(t + 1, Math.floor(now / 480) + 1);
      if (!started) started = secondsUntilPlayable({ frame, t, computed, runDone: computed > t, msPerStep: 400, fps }) === 0;
      else if ((frame + 1) * 480 <= now) frame += 1;
      else stalls += 1;
      now += 1000 / fps;
    }
    expect(stalls).toBe(0);
  });
});

/**
 * Plays a run whose steps take `idleMs` while no frame is drawn and `idleMs · slowdown` while frames
 * play (the page's drawing competes with the worker, also for the step under way when Play
 * starts), planning with `planner` and `priorDrawMs`; time advances 1 ms at a time. Returns the stalls.
 */
function simulateContended(t: number, idleMs: number, slowdown: number, fps: number, planner: StepTimes, priorDrawMs: number): number {
  planner.newRun();
  const show = 1000 / fps;
  let computed = 1; // frame 0 is the input
  let progress = 0; // of the step under way
  let lastArrival = 0;
  let frame = 0;
  let playing = false;
  let nextTick = 0;
  let stalls = 0;
  for (let now = 0; frame < t; now++) {
    if (computed <= t) {
      progress += 1 / (playing ? idleMs * slowdown : idleMs);
      if (progress >= 1) {
        planner.add(now - lastArrival, playing ? fps : null);
        lastArrival = now;
        progress = 0;
        computed += 1;
      }
    }
    if (now < nextTick) continue;
    nextTick += show;
    if (!playing) playing = secondsUntilPlayable({ frame, t, computed, runDone: computed > t, msPerStep: planner.planMs(fps, priorDrawMs), fps }) === 0;
    else if (computed > frame + 1) frame += 1;
    else stalls += 1;
  }
  return stalls;
}

describe('StepTimes', () => {
  it('plans with the slowest recent step, scaled by the prior draw cost until playback has been measured', () => {
    const times = new StepTimes();
    expect(times.planMs(30, DRAW_MS_PER_FRAME_PRIOR)).toBeNull();
    for (const ms of [150, 200, 160]) times.add(ms, null);
    expect(times.planMs(30, DRAW_MS_PER_FRAME_PRIOR)).toBeCloseTo(200 * playingSlowdown(DRAW_MS_PER_FRAME_PRIOR, 30), 6);
    expect(playingSlowdown(DRAW_MS_PER_FRAME_PRIOR, 30)).toBeGreaterThan(1.8); // the 2× measured at 30 fps
    expect(playingSlowdown(DRAW_MS_PER_FRAME_PRIOR, 8)).toBeLessThan(1.2); // the 1.1× at 8 fps
    expect(times.planMs(8, 0)).toBe(200);
  });
  it('measures the draw cost from steps computed while frames played, and rescales those steps to the speed asked', () => {
    const times = new StepTimes();
    for (let i = 0; i < 4; i++) times.add(100, null);
    for (let i = 0; i < 3; i++) times.add(125, 10); // 1.25× at 10 fps: a fifth of a core, 20 ms per frame
    expect(times.drawMs(0)).toBeCloseTo(20, 6);
    // At 20 fps drawing takes 40 % of a core: 100 ms steps become 100 / 0.6.
    expect(times.planMs(20, 0)).toBeCloseTo(100 / 0.6, 6);
    times.newRun();
    times.add(200, null);
    expect(times.planMs(10, 0)).toBeCloseTo(250, 6);
  });
  it('forgets the measured draw cost when the backend or its threads change, and only then', () => {
    const times = new StepTimes();
    times.useBackend('wasm:2');
    for (let i = 0; i < 3; i++) { times.add(155, null); times.add(310, 30); }
    expect(times.drawMs(0)).toBeCloseTo(1000 / 60, 6);
    times.useBackend('wasm:2');
    expect(times.drawMs(0)).toBeCloseTo(1000 / 60, 6);
    times.useBackend('wasm:1');
    expect(times.drawMs(0)).toBe(0);
    expect(times.planMs(30, 0)).toBeNull();
  });
  it('never reads a speed-up into playback', () => {
    const times = new StepTimes();
    for (let i = 0; i < 3; i++) times.add(300, null);
    for (let i = 0; i < 3; i++) times.add(100, 8);
    expect(times.drawMs(DRAW_MS_PER_FRAME_PRIOR)).toBe(0);
  });
  it('the prior: no draw cost where the worker leaves the page a core', () => {
    expect(drawCostPrior({ name: 'wasm', threads: 1 }, 2)).toBe(0);
    expect(drawCostPrior({ name: 'wasm', threads: 2 }, 2)).toBe(DRAW_MS_PER_FRAME_PRIOR);
    expect(drawCostPrior({ name: 'wasm', threads: 4 }, 8)).toBe(0);
    expect(drawCostPrior({ name: 'cpu' }, 1)).toBe(DRAW_MS_PER_FRAME_PRIOR);
    expect(drawCostPrior({ name: 'webgl' }, 8)).toBe(DRAW_MS_PER_FRAME_PRIOR);
    expect(drawCostPrior(null, 8)).toBe(DRAW_MS_PER_FRAME_PRIOR);
  });
  it('steps twice as slow while frames play at 30 fps: the plan does not stall; a plan without the draw cost does', () => {
    // 2 cores, WASM on 2 threads, 30 fps: 155 ms per step, about 2× while frames play (e2e/app.spec.ts).
    expect(simulateContended(16, 155, 2, 30, new StepTimes(), DRAW_MS_PER_FRAME_PRIOR)).toBe(0);
    expect(simulateContended(16, 155, 2, 30, new StepTimes(), 0)).toBeGreaterThan(0);
    // Once the session has measured it, the measure holds at another speed too (8 fps: 1.15×).
    const learned = new StepTimes();
    for (let i = 0; i < 3; i++) { learned.add(155, null); learned.add(310, 30); }
    expect(simulateContended(40, 155, playingSlowdown(learned.drawMs(0), 8), 8, learned, 0)).toBe(0);
  });
});

describe('secondsUntilStart (what the visitor is told while Play waits)', () => {
  it('is the time, at the typical pace, until the cautious plan lets playback start, and playback does start then', () => {
    const typical = 150;
    const plan = 300; // the cautious plan: the slowest recent step, while frames play
    const fps = 8;
    const t = 40;
    const told = secondsUntilStart({ frame: 0, t, computed: 4, runDone: false, msPerStep: plan, fps, typicalMs: typical })!;
    // Simulate: one frame every `typical` ms; the cautious plan decides when it starts.
    let computed = 4;
    let waited = 0;
    while (secondsUntilPlayable({ frame: 0, t, computed, runDone: computed > t, msPerStep: plan, fps }) !== 0) {
      computed++;
      waited += typical / 1000;
    }
    expect(told).toBeCloseTo(waited, 5);
    // The cautious wait itself would have told far more.
    expect(secondsUntilPlayable({ frame: 0, t, computed: 4, runDone: false, msPerStep: plan, fps, })!).toBeGreaterThan(2 * told);
    expect(secondsUntilStart({ frame: 0, t, computed: 41, runDone: true, msPerStep: plan, fps, typicalMs: typical })).toBe(0);
    expect(secondsUntilStart({ frame: 0, t, computed: 4, runDone: false, msPerStep: plan, fps, typicalMs: null })).toBeNull();
  });
});
