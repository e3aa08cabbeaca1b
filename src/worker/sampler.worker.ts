/// <reference lib="webworker" />
// All tensor work of the page happens here, so the page stays responsive. This file only
// adapts messages to the engine (src/core/engine) and back.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { MathBackendWebGL } from '@tensorflow/tfjs-backend-webgl';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { WebGPUBackend } from '@tensorflow/tfjs-backend-webgpu';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName } from '../core/backend';
import { SamplingEngine, type BackendNote, type EngineEvent } from '../core/engine/engine';
import { chooseWasmThreads, MAX_WASM_THREADS, type ThreadsChoice } from '../core/threads';
import type { Pixels } from '../core/engine/types';
import { httpSource } from '../core/model/loader';
import { decodeToWorkingSize } from './decodeImage';
import { measureFreeCores } from './freeCores';
import type { WorkerEvent, WorkerRequest } from './protocol';

// Every asset from our own origin: no CDN (privacy, offline use).
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** The pixel buffers of an event, moved rather than copied to the page. */
function transfers(event: WorkerEvent): Transferable[] {
  if (event.type === 'image') return [event.pixels.rgba.buffer];
  if (event.type === 'strip') return [...event.frames.map((f) => f.pixels.rgba.buffer), ...(event.mixedIn ? [event.mixedIn.pixels.rgba.buffer] : [])];
  if (event.type !== 'frame') return [];
  const { naive, improved, direct } = event.frame;
  const step = (c: typeof naive) => (c.step ? [c.step.x0, c.step.atS, c.step.atPrev, c.step.residual] : []);
  const pixels: Pixels[] = [naive.xt, improved.xt, ...step(naive), ...step(improved)];
  if (direct?.x0) pixels.push(direct.x0);
  // Direct's x̂0 is naive's first estimate: the same buffer, listed once.
  return [...new Set(pixels.map((p) => p.rgba.buffer))];
}
const post = (event: WorkerEvent) => scope.postMessage(event, transfers(event));

let requestedWasmThreads: number | null = null;
let wasmThreads: ThreadsChoice | null = null;

async function prepareBackend(name: BackendName): Promise<void> {
  if (name === 'webgpu') tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', 2); // tiny time-embedding matmuls: 10× faster (docs/design.md)
  // tfjs-wasm reads its thread count once, when it first starts (its own default: half the cores).
  if (name !== 'wasm' || wasmThreads) return;
  const isolated = scope.crossOriginIsolated;
  const cores = navigator.hardwareConcurrency || 1;
  const freeCores = isolated && requestedWasmThreads == null ? await measureFreeCores(Math.min(cores, MAX_WASM_THREADS)) : null;
  wasmThreads = chooseWasmThreads({ isolated, hardwareConcurrency: cores, freeCores, requested: requestedWasmThreads });
  if (wasmThreads.threads === 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false); // the plain SIMD build: no idle pool of workers
  else {
    // tfjs-wasm keeps half the logical cores it is told of (vite.config.ts, threadedWasmGlue).
    (scope as unknown as { coldDiffusionWasmLogicalCores?: number }).coldDiffusionWasmLogicalCores = 2 * wasmThreads.threads;
    setThreadsCount(wasmThreads.threads);
  }
}

function describeBackend(name: BackendName): BackendNote | null {
  if (name !== 'wasm' || !wasmThreads) return null;
  const running = getThreadsCount();
  const detail = running === wasmThreads.threads ? wasmThreads.reason : `${running} thread${running === 1 ? '' : 's'} (${wasmThreads.threads} asked: ${wasmThreads.reason})`;
  return { detail, threads: running, limitation: wasmThreads.limitation };
}

/** A GPU that reports its own loss ends the step waiting on it at once (the watchdog catches the rest). */
function watchForLoss(name: BackendName): void {
  const backend = tf.backend();
  if (name === 'webgl' && backend instanceof MathBackendWebGL) {
    const canvas = backend.gpgpu.gl.canvas as EventTarget;
    canvas.addEventListener('webglcontextlost', () => engine.backendLost('webgl', 'its WebGL context was lost'), { once: true });
  } else if (name === 'webgpu' && backend instanceof WebGPUBackend) {
    void backend.device.lost.then((info) => engine.backendLost('webgpu', `the WebGPU device was lost: ${info.message || info.reason}`));
  }
}

let modelBaseUrl = '';
const engine = new SamplingEngine({
  modelSource: (modelId) => httpSource(`${modelBaseUrl}${modelId}/`),
  emit: (event: EngineEvent) => {
    if (event.type === 'backend') watchForLoss(event.name);
    post(event);
  },
  prepareBackend,
  describeBackend,
});

function errorEvent(scope: 'backend' | 'model' | 'image' | 'run', e: unknown, ids: { requestId?: number; runId?: number } = {}): WorkerEvent {
  const err = e as Error;
  const s = err.name === 'ModelLoadError' ? 'model' : scope;
  return { type: 'error', scope: s, message: err.message || String(e), ...ids };
}

let latestImageRequest = 0;

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      modelBaseUrl = msg.modelBaseUrl;
      requestedWasmThreads = msg.wasmThreads ?? null;
      engine.setBackend(msg.backend).catch((e) => post(errorEvent('backend', e)));
      break;
    case 'setImage':
      latestImageRequest = msg.requestId;
      // Decode first (no tensors involved): a file that fails to decode stops nothing.
      decodeToWorkingSize(msg.source)
        .then(async ({ pixels, name }) => {
          if (msg.requestId !== latestImageRequest) return;
          await engine.setImage(pixels);
          post({ type: 'image', requestId: msg.requestId, pixels: { ...pixels, rgba: new Uint8ClampedArray(pixels.rgba) }, name });
        })
        .catch((e) => post(errorEvent('image', e, { requestId: msg.requestId })));
      break;
    case 'run':
      engine.run(msg.runId, msg.settings).catch((e) => post(errorEvent('run', e, { runId: msg.runId })));
      break;
    case 'cancel':
      engine.cancel(msg.runId);
      break;
    case 'strip':
      engine
        .forwardStrip(msg)
        .then((strip) => strip && post({ type: 'strip', requestId: msg.requestId, ...strip }))
        .catch((e) => post(errorEvent('run', e)));
      break;
  }
};
