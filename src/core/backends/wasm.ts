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
      const freeCores = isolated && requested == null ? await env.measureFreeCores(Math.min(cores, MAX_WASM_THREADS)) : null;
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
