import { BACKEND_LABELS } from '../core/backend';
import { SAMPLES, sampleUrl } from '../samples';
import type { AppStore } from '../state/store';
import { decodeImageParam } from '../state/imageLink';
import { drawCostPrior, secondsUntilPlayable, StepTimes } from '../state/playback';
import { runSettings, startsNewRun } from '../state/viewState';
import type { WorkerEvent, WorkerRequest } from './protocol';

export interface Engine {
  /** A visitor's own image (file picker, drop, paste). */
  loadFile(file: Blob, name: string): void;
  dispose(): void;
}

/** Waits this long after the last slider move before restarting the samplers. */
const RUN_DEBOUNCE_MS = 120;

/**
 * Connects the store to the sampler worker: input changes become worker requests,
 * worker events become store updates, and a timer advances playback.
 */
export function connectEngine(store: AppStore, base: string = import.meta.env.BASE_URL): Engine {
  const worker = new Worker(new URL('./sampler.worker.ts', import.meta.url), { type: 'module' });
  const send = (msg: WorkerRequest) => worker.postMessage(msg);
  let requestId = 0;
  let runId = 0;
  let runTimer: ReturnType<typeof setTimeout> | undefined;
  let imageReady = false;
  /** Name of the visitor's image being decoded; null while a sample is. */
  let pendingLocal: string | null = null;
  /** Step times for Play's plan: one quick step is no promise, and steps run slower while frames play. */
  const stepTimes = new StepTimes();
  /** Playback is advancing (not waiting for frames). */
  let flowing = false;

  const startRun = (delay: number) => {
    clearTimeout(runTimer);
    const id = ++runId;
    send({ type: 'cancel', runId: id - 1 });
    store.setState({ frames: [], runDone: false });
    stepTimes.newRun();
    runTimer = setTimeout(() => {
      const { view } = store.getState();
      if (imageReady || view.mode === 'generate') send({ type: 'run', runId: id, settings: runSettings(view) });
    }, delay);
  };

  let stripRequest = 0;
  /** The strip depends on the image, the degradation and its seed, never on t. */
  const requestStrip = () => {
    const { view } = store.getState();
    store.setState({ forwardStrip: null, mixedIn: null });
    if (imageReady && view.mode === 'restore') send({ type: 'strip', requestId: ++stripRequest, degradation: view.degradation, seed: view.seed });
  };

  /** The visitor's image from the link; if it cannot be read, a notice and the gallery image (decodeFailed below). */
  const LINK_IMAGE = 'the image from the link';
  const loadLinkImage = (value: string) => {
    try {
      const { bytes, mime } = decodeImageParam(value);
      imageReady = false;
      pendingLocal = LINK_IMAGE;
      send({ type: 'setImage', requestId: ++requestId, source: { kind: 'link', file: new Blob([bytes], { type: mime }), name: LINK_IMAGE } });
    } catch {
      linkImageFailed('it is not image data');
    }
  };
  const linkImageFailed = (why: string) => {
    // A link notice: the gallery image loaded next clears the 'image' ones, and the visitor must still see this.
    store.getState().notify('warning', `The image in the link could not be read (${why}); showing the gallery image instead.`, 'link');
    store.getState().setView({ imageData: '' });
    loadSample(store.getState().view.image);
  };

  const loadSample = (id: string) => {
    const sample = SAMPLES.find((s) => s.id === id) ?? SAMPLES[0]!;
    imageReady = false;
    pendingLocal = null;
    send({ type: 'setImage', requestId: ++requestId, source: { kind: 'url', url: sampleUrl(sample, base) } });
  };

  worker.onmessage = (event: MessageEvent<WorkerEvent>) => {
    const e = event.data;
    const { notify } = store.getState();
    switch (e.type) {
      case 'backend': {
        const probe = e.probes.find((p) => p.name === e.name);
        store.setState({ backend: { name: e.name, detail: [probe?.detail, e.note?.detail].filter(Boolean).join(', '), software: probe?.software ?? false, reason: e.reason, threads: e.note?.threads ?? null } });
        stepTimes.useBackend(`${e.name}:${e.note?.threads ?? 1}`);
        const chosen = store.getState().view.backend;
        store.getState().clearNotices('backend');
        if (e.reason) notify('warning', `Running on ${BACKEND_LABELS[e.name]}: ${e.reason}`, 'backend');
        else if (chosen !== 'auto' && chosen !== e.name) notify('warning', `${BACKEND_LABELS[chosen]} is not available in this browser; running on ${BACKEND_LABELS[e.name]}.`, 'backend');
        if (e.note?.limitation) notify('info', e.note.limitation, 'backend');
        if (imageReady) startRun(0);
        break;
      }
      case 'modelProgress':
        store.setState((s) => ({ model: { ...s.model, status: 'loading', fraction: e.fraction, totalBytes: e.totalBytes, error: null } }));
        break;
      case 'modelReady':
        store.setState({ model: { status: 'ready', fraction: 1, totalBytes: e.bytes, parameters: e.parameters, error: null } });
        store.getState().clearNotices('model');
        break;
      case 'image':
        if (e.requestId !== requestId) return;
        imageReady = true;
        store.setState({ original: e.pixels, localImage: pendingLocal });
        store.getState().clearNotices('image');
        if (pendingLocal !== null) store.getState().setView({ frame: 0 });
        requestStrip();
        startRun(0);
        break;
      case 'frame': {
        if (e.runId !== runId) return;
        if (e.msPerStep !== null) stepTimes.add(e.msPerStep, flowing && store.getState().playing ? store.getState().view.fps : null);
        store.setState((s) => {
          const frames = s.frames.slice();
          frames[e.frame.index] = e.frame;
          return { frames, msPerStep: e.msPerStep ?? s.msPerStep };
        });
        break;
      }
      case 'strip':
        if (e.requestId === stripRequest) store.setState({ forwardStrip: e.frames, mixedIn: e.mixedIn });
        break;
      case 'memory':
        store.setState({ workerMemory: { numTensors: e.numTensors, numBytes: e.numBytes } });
        break;
      case 'runDone':
        if (e.runId === runId) {
          store.setState({ runDone: true });
          store.getState().clearNotices('run');
        }
        break;
      case 'error':
        if (e.scope === 'image') {
          if (e.requestId !== requestId) return;
          if (pendingLocal === LINK_IMAGE) {
            linkImageFailed(e.message.replace(/^"the image from the link" /, ''));
            return;
          }
          // The previous image and its run stay; nothing is lost.
          notify('error', e.message, 'image');
        } else if (e.scope === 'model') {
          store.setState((s) => ({ model: { ...s.model, status: 'error', error: e.message }, playing: false }));
          store.getState().clearNotices('model');
          notify('error', `The model could not be loaded: ${e.message}`, 'model');
        } else {
          if (e.runId !== undefined && e.runId !== runId) return;
          store.setState({ playing: false });
          notify('error', e.message, 'run');
        }
        break;
    }
  };
  worker.onerror = (e) => store.getState().notify('error', `The sampler worker failed: ${e.message}`);

  // Inputs -> worker.
  // A seam for benchmarks and tests (set before the page loads); visitors get the measured count.
  const wasmThreads = (globalThis as { coldDiffusionWasmThreads?: number }).coldDiffusionWasmThreads;
  const init = () => send({ type: 'init', backend: store.getState().view.backend, modelBaseUrl: `${base}models/`, ...(wasmThreads ? { wasmThreads } : {}) });
  init();
  if (store.getState().view.imageData) loadLinkImage(store.getState().view.imageData);
  else loadSample(store.getState().view.image);
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.view.imageData !== prev.view.imageData) {
      if (s.view.imageData) loadLinkImage(s.view.imageData);
      else if (s.localImage === LINK_IMAGE) loadSample(s.view.image);
    }
    if (s.modelRetries !== prev.modelRetries) startRun(0);
    if (s.view.backend !== prev.view.backend) init();
    const sampleChanged = s.view.image !== prev.view.image || (prev.localImage !== null && s.localImage === null);
    if (sampleChanged && s.localImage === null) loadSample(s.view.image);
    else if (startsNewRun(s.view, prev.view)) startRun(RUN_DEBOUNCE_MS);
    if (s.view.mode !== prev.view.mode || s.view.degradation !== prev.view.degradation || s.view.seed !== prev.view.seed || s.modelRetries !== prev.modelRetries) requestStrip();
  });

  // Playback: like a video, it starts once the frames still to come will arrive before they are
  // due (src/state/playback.ts), then advances one frame per tick; a stall buffers again.
  let playTimer: ReturnType<typeof setTimeout> | undefined;
  const tick = () => {
    const s = store.getState();
    if (!s.playing) return;
    const { frame, t, fps } = s.view;
    if (frame >= t) {
      store.setState({ playing: false, buffering: null });
      return;
    }
    if (flowing && !s.frames[frame + 1]) {
      flowing = false;
      store.setState({ playbackStalls: s.playbackStalls + 1 });
    }
    if (!flowing) {
      const wait = secondsUntilPlayable({ frame, t, computed: s.frames.filter(Boolean).length, runDone: s.runDone, msPerStep: stepTimes.planMs(fps, drawCostPrior(s.backend, navigator.hardwareConcurrency || 1)), fps });
      flowing = wait === 0;
      if (!flowing) store.setState({ buffering: { seconds: wait } });
      else if (s.buffering) store.setState({ buffering: null });
    }
    if (flowing && s.frames[frame + 1]) s.setView({ frame: frame + 1 });
    playTimer = setTimeout(tick, 1000 / fps);
  };
  const unsubscribePlayback = store.subscribe((s, prev) => {
    if (s.playing && !prev.playing) {
      flowing = false;
      store.setState({ playbackStalls: 0 });
      clearTimeout(playTimer);
      tick();
    } else if (!s.playing && prev.playing) {
      clearTimeout(playTimer);
      if (s.buffering) store.setState({ buffering: null });
    }
  });

  return {
    loadFile(file, name) {
      if (store.getState().view.imageData) store.getState().setView({ imageData: '' });
      pendingLocal = name;
      send({ type: 'setImage', requestId: ++requestId, source: { kind: 'file', file, name } });
    },
    dispose() {
      unsubscribe();
      unsubscribePlayback();
      clearTimeout(playTimer);
      clearTimeout(runTimer);
      worker.terminate();
    },
  };
}
