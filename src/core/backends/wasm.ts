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
}

export interface WasmPolicy extends BackendPolicy {
  /** A thread count asked for explicitly (benchmarks, tests); null: follow the free cores. */
  requestThreads(threads: number | null): void;
}

/** How long to wait before looking at the cores again when the first look found some busy. */
export const SECOND_LOOK_MS = 300;

/**
 * The free cores, looked at again a moment later when the first look found some busy: the page's own
 * start (its code parsed, the first picture drawn, the model arriving) is a burst that a first look
 * at the start can take for lasting load (then 1 thread for the whole visit); another program's
 * load lasts, so the second look sees it too.
 */
async function measureTwiceIfBusy(env: WasmEnvironment, count: number): Promise<number | null> {
  const first = await env.measureFreeCores(count);
  if (first == null || first >= count - 0.5) return first;
  await new Promise((resolve) => setTimeout(resolve, SECOND_LOOK_MS));
  const second = await env.measureFreeCores(count);
  return Math.max(first, second ?? 0);
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
      const freeCores = isolated && requested == null ? await measureTwiceIfBusy(env, Math.min(cores, MAX_WASM_THREADS)) : null;
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
