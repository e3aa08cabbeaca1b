/// <reference lib="webworker" />
// All tensor work of the page happens here, so the page stays responsive.
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import '@tensorflow/tfjs-backend-webgpu';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { BACKEND_LABELS, backendOrder, probeBackends, type BackendChoice, type BackendName, type BackendProbe } from '../core/backend';
import { createDegradation, type Degradation, type DegradationId } from '../core/degradations';
import { GENERATION } from '../core/degradations/catalog';
import { generationStart, parseGenerationStart } from '../core/generation';
import { floatToRgba, rgbaToTensor } from '../core/image';
import { psnr } from '../core/metrics';
import { httpSource, loadModel, type LoadedModel } from '../core/model/loader';
import { jointSampler, type ChainFrame } from '../core/samplers';
import { decodeToWorkingSize } from './decodeImage';
import type { Mode } from '../state/viewState';
import type { ChainPixels, Pixels, WorkerEvent, WorkerRequest } from './protocol';

// Every asset from our own origin: no CDN (privacy, offline use).
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (event: WorkerEvent, transfer: Transferable[] = []) => scope.postMessage(event, transfer);

let backendChoice: BackendChoice = 'auto';
let modelBaseUrl = '';
let probes: BackendProbe[] = [];
let order: BackendName[] = [];
let model: LoadedModel | null = null;
let modelFor: string | null = null;
let image: { pixels: Pixels; floats: Float32Array; tensor: tf.Tensor4D | null } | null = null;
let currentRun = 0;
let latestImageRequest = 0;
/** One operation at a time: runs, image loads and backend switches never interleave. */
let queue: Promise<unknown> = Promise.resolve();
const serial = <T>(job: () => Promise<T>): Promise<T> => {
  const next = queue.then(job, job);
  queue = next.catch(() => undefined);
  return next;
};

async function switchBackend(candidates: BackendName[], reasonPrefix: string | null): Promise<void> {
  const failed: string[] = [];
  for (const name of candidates) {
    try {
      if (name === 'webgpu') tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', 2); // tiny time-embedding matmuls: 10× faster (machine-notes)
      // The threaded build's pthread workers load the main script with importScripts,
      // which a bundled module worker cannot offer: use the single-threaded SIMD build.
      if (name === 'wasm') tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      if (!(await tf.setBackend(name))) throw new Error('initialisation failed');
      await tf.ready();
      tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
      const skipped = order.slice(0, order.indexOf(name));
      const reason = [reasonPrefix, ...failed].filter(Boolean).join(' ') || null;
      post({ type: 'backend', name, probes, fallbackFrom: skipped, reason });
      return;
    } catch (e) {
      failed.push(`${BACKEND_LABELS[name]} failed (${(e as Error).message}).`);
    }
  }
  throw new Error(`No backend could start: ${failed.join(' ')}`);
}

function chooseOrder(): void {
  order = backendOrder(probes, backendChoice);
}

/** Before a backend switch: drop tensors that live on the old one (recreated lazily). */
function dropBackendTensors(): void {
  try {
    model?.unet.dispose();
    image?.tensor?.dispose();
  } catch {
    // The old device may be gone already; its memory went with it.
  }
  model = null;
  modelFor = null;
  if (image) image.tensor = null;
}

function imageTensor(img: NonNullable<typeof image>): tf.Tensor4D {
  img.tensor ??= rgbaToTensor(img.pixels.rgba, img.pixels.width, img.pixels.height);
  return img.tensor;
}

/** The model in models/<modelId>/, which must have been trained for `degradation`. */
async function ensureModel(modelId: string, degradation: string = modelId): Promise<LoadedModel> {
  if (model && modelFor === modelId) return model;
  model?.unet.dispose();
  model = null;
  const loaded = await loadModel(httpSource(`${modelBaseUrl}${modelId}/`), (p) =>
    post({ type: 'modelProgress', fraction: p.fraction, loadedBytes: p.loadedBytes, totalBytes: p.totalBytes }),
  );
  if (loaded.manifest.degradation.id !== degradation) {
    loaded.unet.dispose();
    throw new Error(`models/${modelId}/ holds a model trained for "${loaded.manifest.degradation.id}"`);
  }
  model = loaded;
  modelFor = modelId;
  post({ type: 'modelReady', parameters: loaded.unet.parameterCount, bytes: loaded.bytes, degradation });
  return loaded;
}

async function toChainPixels(chain: ChainFrame, reference: Float32Array | null): Promise<ChainPixels> {
  const [, h, w] = chain.xt.shape;
  const xt = (await chain.xt.data()) as Float32Array;
  const x0 = chain.x0 ? ((await chain.x0.data()) as Float32Array) : null;
  return {
    xt: { width: w, height: h, rgba: floatToRgba(xt, w * h) },
    x0: x0 ? { width: w, height: h, rgba: floatToRgba(x0, w * h) } : null,
    psnr: reference ? psnr({ data: xt, width: w, height: h }, { data: reference, width: w, height: h }) : null,
  };
}

interface RunInput {
  D: Degradation;
  xs: tf.Tensor4D;
  /** The original, for PSNR; null when generating. */
  reference: Float32Array | null;
  modelId: string;
}

/** Restoring: the visitor's image degraded to t. Generating: a flat colour plus noise from the seed. */
async function runInput(mode: Mode, degradationId: DegradationId, t: number, seed: number): Promise<RunInput | null> {
  if (mode === 'generate') {
    const loaded = await ensureModel(GENERATION.modelId, GENERATION.degradationId);
    const start = generationStart(parseGenerationStart(loaded.manifest.degradation.start), seed, GENERATION.size);
    return { D: createDegradation(GENERATION.degradationId), xs: tf.tensor4d(start, [1, GENERATION.size, GENERATION.size, 3]), reference: null, modelId: GENERATION.modelId };
  }
  if (!image) return null;
  const D = createDegradation(degradationId, { seed });
  return { D, xs: D.apply(imageTensor(image), t), reference: image.floats, modelId: degradationId };
}

async function run(runId: number, mode: Mode, degradationId: DegradationId, t: number, seed: number): Promise<void> {
  if (runId !== currentRun) return;
  const input = await runInput(mode, degradationId, t, seed);
  if (!input || runId !== currentRun) return input?.xs.dispose();
  const { D, xs, reference } = input;
  // The degraded input first, so the slider answers at once, even while the model downloads.
  const start = await toChainPixels({ xt: xs, x0: null }, reference);
  if (runId !== currentRun) return xs.dispose();
  const copy = { ...start, xt: { ...start.xt, rgba: new Uint8ClampedArray(start.xt.rgba) } };
  post({ type: 'frame', runId, frame: { index: 0, t, naive: start, improved: copy }, msPerStep: null }, [start.xt.rgba.buffer, copy.xt.rgba.buffer]);
  let unet: LoadedModel['unet'];
  try {
    unet = (await ensureModel(input.modelId)).unet;
  } catch (e) {
    xs.dispose();
    throw e;
  }
  const generator = jointSampler(D, (x, s) => unet.predict(x, s), xs, t, ['naive', 'improved'] as const);
  let last = performance.now();
  let msPerStep: number | null = null;
  try {
    for (const f of generator) {
      if (f.index === 0) {
        tf.dispose([f.chains.naive.xt, f.chains.improved.xt]);
        last = performance.now();
        continue;
      }
      const tensors = [f.chains.naive.xt, f.chains.naive.x0, f.chains.improved.xt, f.chains.improved.x0];
      try {
        const naive = await toChainPixels(f.chains.naive, reference);
        const improved = await toChainPixels(f.chains.improved, reference);
        if (f.index > 0) {
          const now = performance.now();
          msPerStep = now - last;
          last = now;
        }
        if (runId !== currentRun) return;
        const buffers = [naive.xt, naive.x0, improved.xt, improved.x0].filter((p): p is Pixels => p !== null).map((p) => p.rgba.buffer);
        post({ type: 'frame', runId, frame: { index: f.index, t: f.t, naive, improved }, msPerStep }, buffers);
      } finally {
        tf.dispose(tensors.filter((x): x is tf.Tensor4D => x !== null));
      }
      // Let a newer request (slider moved, Reset) arrive between steps.
      await new Promise((resolve) => setTimeout(resolve, 0));
      if (runId !== currentRun) return;
    }
    post({ type: 'runDone', runId, msPerStep });
  } finally {
    generator.return(undefined);
    xs.dispose();
  }
}

async function runWithRecovery(runId: number, mode: Mode, degradation: DegradationId, t: number, seed: number): Promise<void> {
  for (;;) {
    try {
      await run(runId, mode, degradation, t, seed);
      return;
    } catch (e) {
      const current = tf.getBackend() as BackendName;
      const rest = order.slice(order.indexOf(current) + 1);
      const isGpu = current === 'webgpu' || current === 'webgl';
      if (!isGpu || rest.length === 0 || (e as Error).name === 'ModelLoadError') throw e;
      // A lost GPU device (driver reset, tab backgrounded on mobile…): carry on elsewhere.
      dropBackendTensors();
      await switchBackend(rest, `${BACKEND_LABELS[current]} stopped working (${(e as Error).message}).`);
    }
  }
}

function errorEvent(scope: 'backend' | 'model' | 'image' | 'run', e: unknown, ids: { requestId?: number; runId?: number } = {}): WorkerEvent {
  const err = e as Error;
  const s = err.name === 'ModelLoadError' ? 'model' : scope;
  return { type: 'error', scope: s, message: err.message || String(e), ...ids };
}

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  switch (msg.type) {
    case 'init':
      currentRun++;
      backendChoice = msg.backend;
      modelBaseUrl = msg.modelBaseUrl;
      void serial(async () => {
        if (probes.length === 0) probes = await probeBackends();
        chooseOrder();
        dropBackendTensors();
        await switchBackend(order, null);
      }).catch((e) => post(errorEvent('backend', e)));
      break;
    case 'setImage':
      latestImageRequest = msg.requestId;
      // Decode first (no tensors involved): a file that fails to decode stops nothing.
      void decodeToWorkingSize(msg.source)
        .then(({ pixels, name }) => {
          if (msg.requestId !== latestImageRequest) return;
          currentRun++;
          return serial(async () => {
            image?.tensor?.dispose();
            const tensor = rgbaToTensor(pixels.rgba, pixels.width, pixels.height);
            image = { pixels, tensor, floats: (await tensor.data()) as Float32Array };
            const copy = new Uint8ClampedArray(pixels.rgba);
            post({ type: 'image', requestId: msg.requestId, pixels: { ...pixels, rgba: copy }, name }, [copy.buffer]);
          });
        })
        .catch((e) => post(errorEvent('image', e, { requestId: msg.requestId })));
      break;
    case 'run':
      currentRun = msg.runId;
      void serial(() => runWithRecovery(msg.runId, msg.mode, msg.degradation, msg.t, msg.seed)).catch((e) => post(errorEvent('run', e, { runId: msg.runId })));
      break;
    case 'cancel':
      if (currentRun === msg.runId) currentRun++;
      break;
  }
};
