import * as tf from '@tensorflow/tfjs-core';
import { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { getThreadsCount, setThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import type { BackendEnvironment } from './index';

/** The parts of the worker's global scope the backends read and set. */
export interface WorkerScope {
  crossOriginIsolated: boolean;
  navigator: { hardwareConcurrency: number };
  /** tfjs-wasm's threaded glue asks this first for the logical cores (vite.config.ts, threadedWasmGlue). */
  coldDiffusionWasmLogicalCores?: number;
}

/** The real environment of the backend policies: tfjs and the worker's scope. */
export function tfjsEnvironment(scope: WorkerScope, measureFreeCores: (count: number) => Promise<number | null>): BackendEnvironment {
  return {
    crossOriginIsolated: scope.crossOriginIsolated,
    hardwareConcurrency: scope.navigator.hardwareConcurrency,
    measureFreeCores,
    setFlag: (name, value) => tf.env().set(name, value),
    setThreadsCount,
    getThreadsCount,
    setLogicalCores: (count) => {
      scope.coldDiffusionWasmLogicalCores = count;
    },
    webglCanvas: () => {
      const backend = tf.backend();
      return backend instanceof MathBackendWebGL ? (backend.gpgpu.gl.canvas as EventTarget) : null;
    },
    webgpuDeviceLost: () => {
      const backend = tf.backend();
      return backend instanceof WebGPUBackend ? backend.device.lost : null;
    },
  };
}
