import { describe, expect, it } from 'vitest';
import { secondsUntilPlayable, STEP_TIME_MARGIN } from './playback';

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
