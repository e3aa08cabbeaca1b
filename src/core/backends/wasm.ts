import type { BackendNote } from '../engine/events';
import { chooseWasmThreads, MAX_WASM_THREADS, threadsLabel, type ThreadsChoice } from '../threads';
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
  /** A clock in ms (performance.now in the worker): how long the looks at the cores have gone on. */
  now(): number;
  /** Resolves when the page says its own start is over, or after `maxMs`. */
  waitForPage(maxMs: number): Promise<void>;
}

export interface WasmPolicy extends BackendPolicy {
  /** A thread count asked for explicitly (benchmarks, tests); null: follow the free cores. */
  requestThreads(threads: number | null): void;
}

/** How long the looks may go on after the page's start is over. */
export const MORE_LOOKS_MS = 300;
/** At most this many looks in all: each one more is one more chance to read load as free. */
export const MAX_LOOKS = 3;
/** The longest wait for the page's start to be over, once a look found a core busy. */
export const PAGE_WAIT_MS = 1500;

/**
 * The free cores. The page's own start (its code evaluated, its first view rendered and laid out) is a
 * burst on one core that a look during it takes for lasting load (then 1 thread for the whole visit):
 * a look that finds a core busy waits for the page to say its start is over (or PAGE_WAIT_MS), then
 * looks again at once while a look finds one busy, for at most MORE_LOOKS_MS and MAX_LOOKS looks in
 * all. Another program's load lasts, so every look sees it. A look takes 110-370 ms.
 */
async function measureUntilFree(env: WasmEnvironment, count: number): Promise<number | null> {
  const free = count - 0.5;
  let best = await env.measureFreeCores(count);
  if (best == null || best >= free) return best;
  await env.waitForPage(PAGE_WAIT_MS);
  const deadline = env.now() + MORE_LOOKS_MS;
  for (let looks = 1; best < free && looks < MAX_LOOKS && env.now() < deadline; looks++) {
    best = Math.max(best, (await env.measureFreeCores(count)) ?? 0);
  }
  return best;
}

export function wasmPolicy(env: WasmEnvironment): WasmPolicy {
  let requested: number | null = null;
  let chosen: ThreadsChoice | null = null;
  return {
    requestThreads: (threads) => {
      requested = threads;
    },
    prepare: async () => {
      // tfjs-wasm reads its thread count once, when it first starts (its own default: half the cores).
      if (chosen) return;
      const isolated = env.crossOriginIsolated;
      const cores = env.hardwareConcurrency || 1;
      const freeCores = isolated && requested == null ? await measureUntilFree(env, Math.min(cores, MAX_WASM_THREADS)) : null;
      chosen = chooseWasmThreads({ isolated, hardwareConcurrency: cores, freeCores, requested });
      if (chosen.threads === 1) env.setFlag('WASM_HAS_MULTITHREAD_SUPPORT', false); // the plain SIMD build: no idle pool of workers
      else {
        // tfjs-wasm keeps half the logical cores it is told of (vite.config.ts, threadedWasmGlue).
        env.setLogicalCores(2 * chosen.threads);
        env.setThreadsCount(chosen.threads);
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
