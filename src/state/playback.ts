/**
 * When Play may start, like a video buffer: playback, once started, must never wait for a frame.
 * Frames 0..computed-1 exist; the worker adds one every msPerStep; playback shows one every
 * 1000/fps ms from `frame` to `t`. Frame k (k ≥ computed) exists after (k − computed + 1)·msPerStep
 * and is shown after (k − frame)·1000/fps: start when that holds for every k up to t, with
 * a margin for steps that run slower than the last ones did.
 */
export interface PlaybackInput {
  frame: number;
  t: number;
  /** Frames computed so far (0..computed-1 can be shown). */
  computed: number;
  runDone: boolean;
  msPerStep: number | null;
  fps: number;
}

export const STEP_TIME_MARGIN = 1.25;
/**
 * Play plans with the slowest of this many latest steps (times the margin): a single step's time
 * varies by a third under load (a CI run saw a 288 ms gap when one quick step set the estimate).
 */
export const RECENT_STEPS = 5;

/** Seconds until Play can start without a stall; 0 when it can start now; null while unknown. */
export function secondsUntilPlayable({ frame, t, computed, runDone, msPerStep, fps }: PlaybackInput): number | null {
  if (runDone || computed > t) return 0;
  if (msPerStep === null || computed < 2) return null;
  const step = msPerStep * STEP_TIME_MARGIN;
  const show = 1000 / fps;
  let wait = 0;
  for (let k = Math.max(computed, frame + 1); k <= t; k++) {
    // After waiting w ms, frame k exists at (k − computed + 1)·step − w, and is shown at (k − frame)·show.
    wait = Math.max(wait, (k - computed + 1) * step - (k - frame) * show);
  }
  return wait / 1000;
}
