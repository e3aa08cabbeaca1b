import * as tf from '@tensorflow/tfjs-core';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import type { BackendEnvironment } from './index';

/** The parts of the worker's global scope the backends read and set. */
export interface WorkerScope {
  crossOriginIsolated: boolean;
  navigator: { hardwareConcurrency: number };
  /** tfjs-wasm's threaded glue asks this first for the logical cores (vite.config.ts, threadedWasmGlue). */
  coldDiffusionWasmLogicalCores?: number;
  /** …and this for the pthread workers it starts (vite.config.ts, threadedWasmGlue). */
  coldDiffusionWasmPoolSize?: number;
}

/** The real environment of the backend policies: tfjs and the worker's scope. */
export function tfjsEnvironment(scope: WorkerScope, measureFreeCores: (count: number) => Promise<number | null>, pageSettled: Promise<void>): BackendEnvironment {
  return {
    waitForPage: (maxMs) => Promise.race([pageSettled, new Promise<void>((resolve) => setTimeout(resolve, maxMs))]),
    crossOriginIsolated: scope.crossOriginIsolated,
    hardwareConcurrency: scope.navigator.hardwareConcurrency,
    measureFreeCores,
    now: () => performance.now(),
    setFlag: (name, value) => tf.env().set(name, value),
    setThreadsCount,
    getThreadsCount,
    setLogicalCores: (count) => {
      scope.coldDiffusionWasmLogicalCores = count;
    },
    setPoolSize: (count) => {
      scope.coldDiffusionWasmPoolSize = count;
    },
    // Read by shape, not by class: the GPU backends' modules load only when one starts (sampler.worker.ts).
    webglCanvas: () => (tf.getBackend() === 'webgl' ? ((tf.backend() as unknown as { gpgpu?: { gl?: { canvas?: EventTarget } } }).gpgpu?.gl?.canvas ?? null) : null),
    webgpuDeviceLost: () => (tf.getBackend() === 'webgpu' ? ((tf.backend() as unknown as { device?: { lost?: Promise<GPUDeviceLostInfo> } }).device?.lost ?? null) : null),
  };
}
