import type { AppStore } from './store';
import { drawCostPrior, secondsUntilPlayable, secondsUntilStart, STEP_TIME_MARGIN, type StepTimes } from './playback';

export interface PlaybackClock {
  /** Frames are advancing now (not waiting for the worker): steps computed meanwhile ran beside the drawing. */
  readonly flowing: boolean;
  dispose(): void;
}

/**
 * Advances playback like a video: once Play is pressed it starts when the frames still to come will
 * arrive before they are due (playback.ts), then shows one frame per tick; a stall buffers again.
 */
export function startPlaybackClock(store: AppStore, stepTimes: StepTimes, cores: number): PlaybackClock {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let flowing = false;
  /** What the plan that started the flow promised: frame k (k ≥ computed) by at + (k − computed + 1)·stepMs. */
  let plan: { at: number; computed: number; stepMs: number } | null = null;
  const tick = () => {
    const s = store.getState();
    if (!s.playing) return;
    const { frame, steps, fps } = s.view;
    if (frame >= steps) {
      store.setState({ playing: false, buffering: null });
      return;
    }
    if (flowing && !s.frames[frame + 1]) {
      flowing = false;
      const promisedBy = plan ? plan.at + (frame + 1 - plan.computed + 1) * plan.stepMs : Infinity;
      const slowSteps = performance.now() >= promisedBy ? 1 : 0;
      store.setState({ playbackStalls: { total: s.playbackStalls.total + 1, slowSteps: s.playbackStalls.slowSteps + slowSteps } });
    }
    if (!flowing) {
      const msPerStep = stepTimes.planMs(fps, drawCostPrior(s.backend, cores));
      const input = { frame, t: steps, computed: s.frames.filter(Boolean).length, runDone: s.runDone, msPerStep, fps };
      flowing = secondsUntilPlayable(input) === 0;
      plan = flowing && msPerStep !== null ? { at: performance.now(), computed: input.computed, stepMs: msPerStep * STEP_TIME_MARGIN } : null;
      if (!flowing) store.setState({ buffering: { seconds: secondsUntilStart({ ...input, typicalMs: stepTimes.typicalMs() }) } });
      else if (s.buffering) store.setState({ buffering: null });
    }
    if (flowing && s.frames[frame + 1]) s.setView({ frame: frame + 1 });
    timer = setTimeout(tick, 1000 / fps);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.playing && !prev.playing) {
      flowing = false;
      store.setState({ playbackStalls: { total: 0, slowSteps: 0 } });
      clearTimeout(timer);
      tick();
    } else if (!s.playing && prev.playing) {
      clearTimeout(timer);
      if (s.buffering) store.setState({ buffering: null });
    }
  });
  return {
    get flowing() {
      return flowing;
    },
    dispose() {
      unsubscribe();
      clearTimeout(timer);
    },
  };
}
