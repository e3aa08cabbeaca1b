/// <reference lib="webworker" />
// All tensor work of the page happens here, so the page stays responsive. This file only
// adapts messages to the engine (src/core/engine) and back; what each backend needs around its
// start (threads, flags, loss) is in src/core/backends.
// Each backend registers itself with tfjs when imported. The GPU backends are imported when one is
// about to start (gpuBackendModule below): most starts run WASM, and their code is most of this bundle.
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Training a restorer for your own transform needs them (src/core/own/registerGradients.ts).
import '../core/own/registerGradients';
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreaded from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import { backendPolicies } from '../core/backends';
import { tfjsEnvironment } from '../core/backends/tfjsEnvironment';
import { SamplingEngine, type EngineEvent } from '../core/engine/engine';
import type { Pixels } from '../core/engine/types';
import { httpSource } from '../core/model/loader';
import { decodeToWorkingSize } from './decodeImage';
import { measureFreeCores, prepareSpinners, releaseSpinners } from './freeCores';
import { remotePainter } from './remotePainter';
import { localPainter, type StepPainter } from '../core/engine/stepPainter';
import { MAX_WASM_THREADS } from '../core/threads';
import type { WorkerEvent, WorkerRequest } from './protocol';
import { StartupMarks } from '../core/engine/startupMarks';

// Every asset from our own origin: no CDN (privacy, offline use).
setWasmPaths({ 'tfjs-backend-wasm.wasm': wasmPlain, 'tfjs-backend-wasm-simd.wasm': wasmSimd, 'tfjs-backend-wasm-threaded-simd.wasm': wasmThreaded });

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** The pixel buffers of an event, moved rather than copied to the page. */
function transfers(event: WorkerEvent): Transferable[] {
  if (event.type === 'image') return [event.pixels.rgba.buffer];
  if (event.type === 'framesPort') return [event.port];
  if (event.type === 'ownModelFile') return [event.bytes.buffer];
  if (event.type === 'grid') return event.state.samples.map((p) => p.rgba.buffer);
  if (event.type === 'strip') return [...event.frames.map((f) => f.pixels.rgba.buffer), ...(event.mixedIn ? [event.mixedIn.pixels.rgba.buffer] : [])];
  if (event.type === 'training') {
    const p = event.report.evaluation?.preview;
    return p ? [p.input.rgba.buffer, p.direct.rgba.buffer, p.naive.rgba.buffer, p.improved.rgba.buffer] : [];
  }
  if (event.type !== 'frame') return [];
  const { naive, improved, direct } = event.frame;
  const step = (c: typeof naive) => (c.step ? [c.step.x0, c.step.atS, c.step.atPrev, c.step.residual] : []);
  const pixels: Pixels[] = [naive.xt, improved.xt, ...step(naive), ...step(improved)];
  if (direct?.x0) pixels.push(direct.x0);
  // Direct's x̂0 is naive's first estimate: the same buffer, listed once.
  return [...new Set(pixels.map((p) => p.rgba.buffer))];
}
const post = (event: WorkerEvent) => scope.postMessage(event, transfers(event));

/** Resolved when the page says its own start is over (WorkerRequest 'pageSettled'). */
let onPageSettled: () => void = () => {};
const pageSettled = new Promise<void>((resolve) => (onPageSettled = resolve));
const backends = backendPolicies(tfjsEnvironment(scope, measureFreeCores, pageSettled));
/** Requests that give the engine work, so far: a look at the cores during which one came saw that work, not the machine. */
let workRequests = 0;
/** The look at the cores after a start from the remembered count (wasm.ts, lookAgain): under way, and done (once a visit). */
const coresLook = { running: false, done: false };

/** Loads (once) the module of a GPU backend, which registers it with tfjs; nothing for the others. */
const gpuBackendModules = new Map<string, Promise<unknown>>();
function gpuBackendModule(name: string): Promise<unknown> {
  const load = name === 'webgl' ? () => import('@tensorflow/tfjs-backend-webgl') : name === 'webgpu' ? () => import('@tensorflow/tfjs-backend-webgpu') : null;
  if (!load) return Promise.resolve();
  let module = gpuBackendModules.get(name);
  if (!module) gpuBackendModules.set(name, (module = load()));
  return module;
}

let modelBaseUrl = '';
let gpuWarmUp = true;
const startup = new StartupMarks();
/**
 * Each run's painter, chosen as it begins: a second worker that posts the frames to the page through a
 * port of their own (sent to the page here, at the start), or this thread where a test or benchmark asks.
 */
const frames = new MessageChannel();
post({ type: 'framesPort', port: frames.port2 });
const painters = { aside: remotePainter(frames.port1), here: localPainter() };
let paintAside = true;
let runPainter: StepPainter = painters.aside;
const painter: StepPainter = {
  get aside() {
    return runPainter.aside;
  },
  begin: (start) => {
    runPainter = paintAside ? painters.aside : painters.here;
    runPainter.begin(start);
  },
  paint: (floats, envelope, emit) => {
    const sent = runPainter.paint(floats, envelope, emit);
    // A frame sent aside does not pass through `emit` below, where the start's marks are read.
    if (runPainter.aside)
      void sent.then(({ sentAt }) => {
        const times = startup.firstStepShown(sentAt);
        if (times) post({ type: 'startup', times });
      }, () => undefined);
    return sent;
  },
  after: (event, emit) => runPainter.after(event, emit),
};
const engine = new SamplingEngine({
  modelSource: (modelId) => httpSource(`${modelBaseUrl}${modelId}/`),
  gpuWarmUp: () => gpuWarmUp,
  painter,
  emit: (event: EngineEvent) => {
    if (event.type === 'backend') backends.watchForLoss(event.name, (reason) => engine.backendLost(event.name, reason));
    post(event);
    const times = startup.observe(event);
    if (times) post({ type: 'startup', times });
  },
  prepareBackend: async (name) => {
    await gpuBackendModule(name);
    await backends.prepareBackend(name);
    if (name === 'wasm') {
      releaseSpinners();
      startup.mark('coresMeasured');
      const threads = backends.wasmThreads.measuredThreads();
      if (threads != null) post({ type: 'wasmThreadsMeasured', threads });
    }
    // Its start (0.3-0.4 s under the page's own start) while the backend starts and the model loads, not in the
    // first step's path; after the spin test, which would read it as load.
    painters.aside.prepare?.();
  },
  describeBackend: backends.describeBackend,
});

function errorEvent(scope: Extract<WorkerEvent, { type: 'error' }>['scope'], e: unknown, ids: { requestId?: number; runId?: number } = {}): WorkerEvent {
  const err = e as Error;
  const s = err.name === 'ModelLoadError' ? 'model' : scope;
  return { type: 'error', scope: s, message: err.message || String(e), ...ids };
}

let latestImageRequest = 0;
let initialised = false;

/** Requests that only stop, settle or look: the rest give the engine work. */
const NO_WORK: ReadonlySet<WorkerRequest['type']> = new Set(['pageSettled', 'lookAtCores', 'cancel', 'cancelSweep']);

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  if (!NO_WORK.has(msg.type)) workRequests++;
  switch (msg.type) {
    case 'pageSettled':
      onPageSettled();
      break;
    case 'init':
      modelBaseUrl = msg.modelBaseUrl;
      gpuWarmUp = msg.gpuWarmUp ?? true;
      paintAside = msg.paintAside ?? true;
      backends.requestWasmThreads(msg.wasmThreads ?? null);
      backends.wasmThreads.rememberThreads(msg.rememberedWasmThreads ?? null);
      // WASM's spin test (freeCores.ts) finds its workers started while the page's code still loads (the first init only:
      // a later one is a backend switch, and WASM, if it ever ran, has chosen its count).
      if (!initialised && scope.crossOriginIsolated && msg.wasmThreads == null && msg.rememberedWasmThreads == null) prepareSpinners(Math.min(scope.navigator.hardwareConcurrency || 1, MAX_WASM_THREADS));
      initialised = true;
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
    case 'lookAtCores': {
      if (coresLook.running || coresLook.done) break;
      const before = workRequests;
      // A grid, a sweep or a training may go on after the run: the look waits for the next time the page asks.
      const quiet = () => workRequests === before && !engine.busy();
      if (!quiet()) break;
      coresLook.running = true;
      void backends.wasmThreads
        .lookAgain()
        .then((threads) => {
          // Nothing to look at (no WASM yet) or a look that saw other work: the page asks again after its next run.
          if (threads != null && quiet()) {
            coresLook.done = true;
            post({ type: 'wasmThreadsMeasured', threads });
          }
        })
        .catch(() => undefined)
        .finally(() => {
          coresLook.running = false;
          releaseSpinners();
        });
      break;
    }
    case 'run':
      engine.run(msg.runId, msg.settings).catch((e) => post(errorEvent('run', e, { runId: msg.runId })));
      break;
    case 'prefetchModel':
      engine.prefetchModel(msg.settings);
      break;
    case 'cancel':
      engine.cancel(msg.runId);
      break;
    case 'sweep':
      engine
        .stepSweep(msg.runId, msg.settings, (progress) => post({ type: 'sweepProgress', requestId: msg.requestId, progress }))
        .then((result) => result && post({ type: 'sweep', requestId: msg.requestId, result }))
        .catch((e) => post(errorEvent('sweep', e, { requestId: msg.requestId })));
      break;
    case 'cancelSweep':
      engine.cancelSweep();
      break;
    case 'train': {
      // Every picture decoded first (no tensors involved), so a broken one stops nothing under way.
      const decode = (sources: typeof msg.pictures.train) => Promise.all(sources.map((source) => decodeToWorkingSize(source).then((d) => d.pixels)));
      Promise.all([decode(msg.pictures.train), decode(msg.pictures.heldOut)])
        .then(([train, heldOut]) => {
          const current = msg.withCurrent ? engine.currentPixels() : null;
          return engine.train({ trainingId: msg.trainingId, transform: msg.transform, budget: msg.budget, loss: msg.loss, warm: msg.warm }, { train: current ? [...train, current] : train, heldOut });
        })
        .catch((e) => post(errorEvent('training', e)));
      break;
    }
    case 'exportOwnModel':
      engine
        .exportOwnModel(msg.transform, msg.about)
        .then((bytes) => post({ type: 'ownModelFile', requestId: msg.requestId, bytes }))
        .catch((e) => post(errorEvent('ownModel', e, { requestId: msg.requestId })));
      break;
    case 'openOwnModel':
      msg.file
        .arrayBuffer()
        .then((buffer) => engine.openOwnModel(new Uint8Array(buffer), msg.name))
        .then((info) => post({ type: 'ownModelOpened', requestId: msg.requestId, name: msg.name, info }))
        // Its own scope even for a ModelLoadError: the model in use is not at fault.
        .catch((e) => post({ type: 'error', scope: 'ownModel', message: (e as Error).message || String(e), requestId: msg.requestId }));
      break;
    case 'trainControl':
      engine.controlTraining(msg.action).catch((e) => post(errorEvent('training', e)));
      break;
    case 'grid':
      engine.sampleGrid(msg.request, (state) => post({ type: 'grid', requestId: msg.requestId, state })).catch((e) => post(errorEvent('grid', e, { requestId: msg.requestId })));
      break;
    case 'strip':
      engine
        .forwardStrip(msg)
        .then((strip) => strip && post({ type: 'strip', requestId: msg.requestId, ...strip }))
        .catch((e) => post(errorEvent('run', e)));
      break;
  }
};
