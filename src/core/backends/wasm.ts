import type { BackendNote } from '../engine/events';
import { chooseWasmThreads, MAX_WASM_THREADS, threadsForFreeCores, threadsLabel, type ThreadsChoice } from '../threads';
import type { BackendPolicy, SetFlag } from './policy';

/** What the WASM policy reads and sets: the worker's scope and tfjs in the app, fakes in tests. */
export interface WasmEnvironment {
  /** self.crossOriginIsolated: threads need SharedArrayBuffer, which needs isolation. */
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  /** The spin test (src/worker/freeCores.ts): cores free right now, null when it could not tell. */
  measureFreeCores(count: number): Promise<number | null>;
  setFlag: SetFlag;
  setThreadsCount(threads: number): void;
  getThreadsCount(): number;
  /** Sets self.coldDiffusionWasmLogicalCores, which the patched threaded glue reads. */
  setLogicalCores(count: number): void;
  /** Sets self.coldDiffusionWasmPoolSize: the pthread workers the patched glue starts (and waits for) as it starts. */
  setPoolSize(count: number): void;
  /** A clock in ms (performance.now in the worker): how long the looks at the cores have gone on. */
  now(): number;
  /** Resolves when the page says its own start is over, or after `maxMs`. */
  waitForPage(maxMs: number): Promise<void>;
}

export interface WasmPolicy extends BackendPolicy {
  /** A thread count asked for explicitly (benchmarks, tests); null: follow the free cores. */
  requestThreads(threads: number | null): void;
  /** The count this device's last visit measured: a return visit starts with it, and looks later (lookAgain). */
  rememberThreads(threads: number | null): void;
  /** The count the free cores gave when WASM started; null where it did not look (asked for, remembered, no threads). */
  measuredThreads(): number | null;
  /**
   * After a start from the remembered count, once the page and the engine are idle: the count the free cores give now,
   * for the next visit (this one keeps its pool: tfjs-wasm reads the count once). Null where there is nothing to look
   * for (WASM not started, or started from a measurement, a request, no threads). The worker asks once a visit.
   */
  lookAgain(): Promise<number | null>;
}

/** How long the looks may go on after the page's start is over. */
export const MORE_LOOKS_MS = 300;
/** At most this many looks in all: each one more is one more chance to read load as free. */
export const MAX_LOOKS = 3;
/** The longest wait for the page's start to be over, once a look gave fewer threads than cores. */
export const PAGE_WAIT_MS = 1500;

/**
 * The free cores. The page's own start (its code evaluated, its first view rendered and laid out) is a
 * burst on one core that a look during it can take for a core that is not there at all (then fewer
 * threads for the whole visit): a look that gives fewer threads than cores waits for the page to say its
 * start is over (or PAGE_WAIT_MS), then looks again at once while a look gives fewer, for at most
 * MORE_LOOKS_MS and MAX_LOOKS looks in all. A core that is really not there stays so in every look. A
 * look takes 110-370 ms.
 */
async function measureUntilFree(env: WasmEnvironment, count: number): Promise<number | null> {
  // Enough: a look that already gives a thread per core.
  const short = (found: number) => threadsForFreeCores(found, count) < count;
  let best = await env.measureFreeCores(count);
  if (best == null || !short(best)) return best;
  await env.waitForPage(PAGE_WAIT_MS);
  const deadline = env.now() + MORE_LOOKS_MS;
  for (let looks = 1; short(best) && looks < MAX_LOOKS && env.now() < deadline; looks++) {
    best = Math.max(best, (await env.measureFreeCores(count)) ?? 0);
  }
  return best;
}

export function wasmPolicy(env: WasmEnvironment): WasmPolicy {
  let requested: number | null = null;
  let remembered: number | null = null;
  let chosen: ThreadsChoice | null = null;
  let measured: number | null = null;
  const cores = () => env.hardwareConcurrency || 1;
  const count = () => Math.min(cores(), MAX_WASM_THREADS);
  const measures = () => env.crossOriginIsolated && requested == null && cores() > 1;
  return {
    requestThreads: (threads) => {
      requested = threads;
    },
    rememberThreads: (threads) => {
      remembered = threads;
    },
    measuredThreads: () => measured,
    lookAgain: async () => {
      if (!chosen || measured != null || !measures() || remembered == null) return null;
      const freeCores = await measureUntilFree(env, count());
      return freeCores == null ? null : chooseWasmThreads({ isolated: true, hardwareConcurrency: cores(), freeCores }).threads;
    },
    prepare: async () => {
      // tfjs-wasm reads its thread count once, when it first starts (its own default: half the cores).
      if (chosen) return;
      const isolated = env.crossOriginIsolated;
      // A return visit skips the look (0.1-0.5 s of a cached start, more while the page's own start runs): with another
      // program holding a core, 2 threads still ran faster than 1 here (bench/NOTES.md, 2026-12-07), so a count that
      // no longer holds costs less than the look.
      const freeCores = measures() && remembered == null ? await measureUntilFree(env, count()) : null;
      chosen = chooseWasmThreads({ isolated, hardwareConcurrency: cores(), freeCores, requested, remembered });
      if (freeCores != null) measured = chosen.threads;
      if (chosen.threads === 1) env.setFlag('WASM_HAS_MULTITHREAD_SUPPORT', false); // the plain SIMD build: no idle pool of workers
      else {
        // tfjs-wasm keeps half the logical cores it is told of (vite.config.ts, threadedWasmGlue).
        env.setLogicalCores(2 * chosen.threads);
        env.setThreadsCount(chosen.threads);
        // XNNPACK's pool makes threads - 1 pthreads (the caller is one) and waits for them, so a pool short of that would
        // hang; one spare. Each worker of the pool starts before the backend is ready (8 by default: 0.1 s of a start).
        env.setPoolSize(chosen.threads);
      }
    },
    describe: (): BackendNote | null => {
      if (!chosen) return null;
      const running = env.getThreadsCount();
      const detail = running === chosen.threads ? chosen.reason : `${threadsLabel(running)} (${chosen.threads} asked: ${chosen.reason})`;
      return { detail, threads: running, limitation: chosen.limitation };
    },
  };
}
