/**
 * When Play may start, like a video buffer: playback, once started, must never wait for a frame.
 * Frames 0..computed-1 exist; the worker adds one every msPerStep; playback shows one every
 * 1000/fps ms from `frame` to `t`. Frame k (k ≥ computed) exists after (k − computed + 1)·msPerStep
 * and is shown after (k − frame)·1000/fps: start when that holds for every k up to t, with
 * a margin for steps that run slower than the last ones did.
 */
export interface PlaybackInput {
  frame: number;
  /** The last frame: the run's step count. */
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

/**
 * Main-thread time the page spends drawing one played frame, as it slows the worker's steps, until
 * this session has measured it. Drawing competes with the worker only where the worker's threads
 * take every core: measured on 2 cores (Chromium, blur, 128×128): WASM on 2 threads 155 → 318 ms per
 * step at 30 fps (2.0×: about 16 ms of a core per frame) and 148 → 163 ms at 8 fps (1.1×); on
 * 1 thread, with a core to spare, 210 → 216 ms at 8 fps (1.03×, inside STEP_TIME_MARGIN).
 */
export const DRAW_MS_PER_FRAME_PRIOR = 16;
/** Drawing never takes more than this share of the worker's cores in the plan (a bound, not a measure). */
const MAX_DRAW_SHARE = 0.75;
/** Samples of each kind kept, and how many the measured draw cost needs before it replaces the prior. */
const DRAW_SAMPLES = 20;
const DRAW_MIN_SAMPLES = 3;

/** The prior draw cost for this backend: none where the worker leaves a core to the page. */
export function drawCostPrior(backend: { name: string; threads?: number | null } | null, cores: number): number {
  if (backend === null) return DRAW_MS_PER_FRAME_PRIOR;
  const workerThreads = backend.name === 'wasm' ? (backend.threads ?? 1) : backend.name === 'cpu' ? 1 : null;
  return workerThreads !== null && workerThreads < cores ? 0 : DRAW_MS_PER_FRAME_PRIOR;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** How much slower a step runs while frames are drawn at `fps`, for a draw cost of `drawMs` per frame. */
export function playingSlowdown(drawMs: number, fps: number): number {
  return 1 / (1 - Math.min(MAX_DRAW_SHARE, (drawMs * fps) / 1000));
}

/**
 * The step times Play plans with: this run's latest steps, each scaled to what it costs while
 * frames play at the chosen speed. The draw cost behind that scale is measured over the session
 * (steps computed while frames played against steps computed while none did), the prior until then.
 */
export class StepTimes {
  private recent: { ms: number; fps: number | null }[] = [];
  private idle: number[] = [];
  private playing: { ms: number; fps: number }[] = [];
  private backend: string | null = null;

  newRun(): void {
    this.recent = [];
  }

  /** The backend (and thread count) steps now run on: the draw cost measured on another does not hold here. */
  useBackend(key: string): void {
    if (key === this.backend) return;
    this.backend = key;
    this.recent = [];
    this.idle = [];
    this.playing = [];
  }

  /** A step took `ms`; `playingFps`: the speed frames played at meanwhile, null when none played. */
  add(ms: number, playingFps: number | null): void {
    this.recent = [...this.recent.slice(1 - RECENT_STEPS), { ms, fps: playingFps }];
    if (playingFps === null) this.idle.push(ms);
    else this.playing.push({ ms, fps: playingFps });
    if (this.idle.length > DRAW_SAMPLES) this.idle.shift();
    if (this.playing.length > DRAW_SAMPLES) this.playing.shift();
  }

  /** Main-thread ms per drawn frame, as it slows steps: measured, or `prior` until both kinds are seen. */
  drawMs(prior: number): number {
    if (this.idle.length < DRAW_MIN_SAMPLES || this.playing.length < DRAW_MIN_SAMPLES) return prior;
    const ratio = median(this.playing.map((p) => p.ms)) / median(this.idle);
    const share = Math.min(MAX_DRAW_SHARE, Math.max(0, 1 - 1 / ratio));
    return (share * 1000) / median(this.playing.map((p) => p.fps));
  }

  /** The median of this run's latest steps (ms) as they ran: what the next steps will most likely take; null before any. */
  typicalMs(): number | null {
    return this.recent.length === 0 ? null : median(this.recent.map((r) => r.ms));
  }

  /** The slowest of this run's latest steps as it would run while frames play at `fps`; null before any. */
  planMs(fps: number, priorDrawMs: number): number | null {
    if (this.recent.length === 0) return null;
    const drawMs = this.drawMs(priorDrawMs);
    const atFps = playingSlowdown(drawMs, fps);
    return Math.max(...this.recent.map((r) => (r.fps === null ? r.ms : r.ms / playingSlowdown(drawMs, r.fps)) * atFps));
  }
}

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

/**
 * What to tell the visitor while Play waits: how long until secondsUntilPlayable's cautious plan
 * (steps at `planMs`) lets it start, if steps go on at their typical pace. Telling the cautious wait
 * itself overstated it threefold (27 s said, 9 s waited). Null while unknown.
 */
export function secondsUntilStart(input: PlaybackInput & { typicalMs: number | null }): number | null {
  const { frame, t, computed, runDone, msPerStep, fps, typicalMs } = input;
  if (runDone || computed > t) return 0;
  if (msPerStep === null || typicalMs === null || computed < 2) return null;
  const step = msPerStep * STEP_TIME_MARGIN;
  const show = 1000 / fps;
  // Frames needed first: the latest frame t must be ready when due, (t − c + 1)·step ≤ (t − frame)·show.
  const needed = Math.ceil(t + 1 - ((t - frame) * show) / step) - computed;
  return Math.max(0, needed) * (typicalMs / 1000);
}
