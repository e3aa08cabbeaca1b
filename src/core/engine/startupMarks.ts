import type { EngineEvent } from './events';

/** The moments of a page's start, in the order they usually happen (ms since the epoch, comparable across threads). */
export const STARTUP_MARKS = ['workerCreated', 'workerStarted', 'coresMeasured', 'backendReady', 'inputShown', 'modelRequested', 'modelDownloaded', 'modelReady', 'firstStep'] as const;
export type StartupMark = (typeof STARTUP_MARKS)[number];
export type StartupTimes = Partial<Record<StartupMark, number>>;

const now = () => performance.timeOrigin + performance.now();

/**
 * When each part of the start happened (the page adds when it created the worker), read off the engine's own events: on WASM the
 * free cores measured (the worker marks it), the backend started (on WASM: the module compiled and its threads up), the model asked for, downloaded, then checked
 * (digests, shapes, finite values), put on the backend (and its GPU programs built), the degraded input
 * shown, the first step shown. Once the first step is shown, `observe` returns them, once.
 */
export class StartupMarks {
  private readonly times: StartupTimes = { workerStarted: now() };
  private done = false;

  /** A moment the engine's events do not show: on WASM, the free cores measured before its threads start (src/worker/freeCores.ts). */
  mark(name: StartupMark): void {
    if (!this.done) this.times[name] ??= now();
  }

  observe(event: EngineEvent): StartupTimes | null {
    if (this.done) return null;
    const mark = (name: StartupMark) => (this.times[name] ??= now());
    if (event.type === 'backend') mark('backendReady');
    else if (event.type === 'modelProgress') {
      mark('modelRequested');
      if (event.fraction >= 1) mark('modelDownloaded');
    } else if (event.type === 'modelReady') mark('modelReady');
    else if (event.type === 'frame' && event.frame.index === 0) mark('inputShown');
    else if (event.type === 'frame' && event.frame.index >= 1) return this.firstStepShown(now());
    return null;
  }

  /** The first step's frame sent to the page at `at` (ms since the epoch): by another thread where it was painted aside. */
  firstStepShown(at: number): StartupTimes | null {
    if (this.done) return null;
    this.times.firstStep ??= at;
    this.done = true;
    return { ...this.times };
  }
}

/** The phases between the marks (ms), for people and the bench: each from the mark before it in time. */
export function startupPhases(times: StartupTimes, pageStart: number): { phase: string; ms: number }[] {
  const words: Record<StartupMark, string> = {
    workerCreated: "the page's code",
    workerStarted: "the worker's code",
    coresMeasured: 'free cores measured',
    backendReady: 'backend start',
    modelRequested: 'until the model is asked for',
    modelDownloaded: 'model download',
    modelReady: 'model checked and on the backend',
    inputShown: 'degraded input',
    firstStep: 'first step',
  };
  const happened = STARTUP_MARKS.filter((name) => times[name] !== undefined).sort((a, b) => times[a]! - times[b]!);
  let last = pageStart;
  return happened.map((name) => {
    const t = times[name]!;
    const phase = { phase: words[name], ms: Math.max(0, t - last) };
    last = Math.max(last, t);
    return phase;
  });
}
