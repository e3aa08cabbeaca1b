/**
 * What each backend needs around the engine's switch (src/core/engine): flags before it starts,
 * a note once it runs, and word of its loss. One entry per backend; the environment (the worker's
 * scope and tfjs, tfjsEnvironment.ts) comes in from outside, so all of it runs under Node in tests.
 */
import type { BackendName } from '../backend';
import type { BackendNote } from '../engine/events';
import type { BackendPolicy } from './policy';
import { wasmPolicy, type WasmEnvironment, type WasmPolicy } from './wasm';
import { webglPolicy, type WebGlEnvironment } from './webgl';
import { webgpuPolicy, type WebGpuEnvironment } from './webgpu';

export type BackendEnvironment = WasmEnvironment & WebGpuEnvironment & WebGlEnvironment;

export interface BackendPolicies {
  prepareBackend(name: BackendName): void | Promise<void>;
  describeBackend(name: BackendName): BackendNote | null;
  /** A GPU that reports its own loss ends the step waiting on it at once (the engine's watchdog catches the rest). */
  watchForLoss(name: BackendName, onLost: (reason: string) => void): void;
  /** A fixed WASM thread count (benchmarks, tests); null: measured. Read when WASM first starts. */
  requestWasmThreads(threads: number | null): void;
  /** WASM's thread count: what this device's last visit measured, what this start measured, and a look once the page is idle (wasm.ts). */
  wasmThreads: Pick<WasmPolicy, 'rememberThreads' | 'measuredThreads' | 'lookAgain'>;
}

export function backendPolicies(env: BackendEnvironment): BackendPolicies {
  const wasm = wasmPolicy(env);
  const table: Record<BackendName, BackendPolicy> = { webgpu: webgpuPolicy(env), webgl: webglPolicy(env), wasm, cpu: {} };
  return {
    prepareBackend: (name) => table[name].prepare?.(),
    describeBackend: (name) => table[name].describe?.() ?? null,
    watchForLoss: (name, onLost) => table[name].watchForLoss?.(onLost),
    requestWasmThreads: (threads) => wasm.requestThreads(threads),
    wasmThreads: wasm,
  };
}
