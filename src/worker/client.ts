import { SAMPLES, sampleUrl } from '../samples';
import type { AppState, AppStore } from '../state/store';
import { decodeImageParam } from '../state/imageLink';
import { backendNotices, NOTICE_TEXT } from '../state/noticeText';
import { StepTimes } from '../state/playback';
import { startPlaybackClock } from '../state/playbackClock';
import { gridKey, gridSeeds } from '../state/sampleGridSeeds';
import { redrawsStrip, runSettings, startsNewRun } from '../state/viewState';
import type { ImageSource, WorkerEvent, WorkerRequest } from './protocol';
import { connectSweep } from './sweepClient';
import { trainingPictures } from './trainingPictures';
import { withReport } from '../state/training';
import { OWN_MODEL_EXTENSION } from '../core/own/trainingSettings';
import { ownTransformOf } from '../state/viewState';
import { startupPhases } from '../core/engine/startupMarks';
import { rememberedThreads, rememberThreads } from '../state/threadsMemory';

export interface Engine {
  /** A visitor's own image (file picker, drop, paste). */
  loadFile(file: Blob, name: string): void;
  /** The page's first view is rendered and its main thread idle: the worker's look at the free cores waits for it where it found one busy. */
  pageSettled(): void;
  dispose(): void;
}

/** Waits this long after the last slider move before restarting the samplers. */
const RUN_DEBOUNCE_MS = 120;
const STRIP_DEBOUNCE_MS = 60;
/** A hidden tab's training is reported when the visitor comes back after at least this long. */
const HIDDEN_REPORT_MS = 10_000;

/** The name of the visitor's image that came in the link, while it is decoded or shown. */
const LINK_IMAGE = 'the image from the link';

/**
 * Connects the store to the sampler worker: input changes become worker requests, worker events
 * become store updates. Playback runs on its own clock (src/state/playbackClock.ts).
 */
export function connectEngine(store: AppStore, base: string = import.meta.env.BASE_URL): Engine {
  const worker = new Worker(new URL('./sampler.worker.ts', import.meta.url), { type: 'module' });
  const workerCreated = performance.timeOrigin + performance.now();
  const send = (msg: WorkerRequest) => worker.postMessage(msg);
  /** Step times for Play's plan: one quick step is no promise, and steps run slower while frames play. */
  const stepTimes = new StepTimes();
  const clock = startPlaybackClock(store, stepTimes, navigator.hardwareConcurrency || 1);
  const notify: AppState['notify'] = (...args) => store.getState().notify(...args);

  // Requests: each answer carries its id, and only the newest one counts.
  let runId = 0;
  let runTimer: ReturnType<typeof setTimeout> | undefined;
  let stripRequest = 0;
  let gridRequest = 0;
  let imageRequest = 0;
  let imageReady = false;
  let modelRequest = 0;
  /** Name of the visitor's image being decoded; null while a sample is. */
  let pendingLocal: string | null = null;

  const sweeps = connectSweep(store, send);

  const startRun = (delay: number) => {
    clearTimeout(runTimer);
    sweeps.runRequested();
    const id = ++runId;
    send({ type: 'cancel', runId: id - 1 });
    store.setState({ frames: [], stepProfiles: [], runDone: false, runMissing: null });
    stepTimes.newRun();
    runTimer = setTimeout(() => {
      const { view } = store.getState();
      if (!imageReady && view.mode !== 'generate') return;
      const settings = runSettings(view);
      send({ type: 'run', runId: id, settings });
      sweeps.runSent(id, settings);
    }, delay);
  };

  // Debounced like runs: a slider dragged through a transform's values asks for one strip, not one per value.
  let stripTimer: ReturnType<typeof setTimeout> | undefined;
  const requestStrip = () => {
    clearTimeout(stripTimer);
    const id = ++stripRequest;
    stripTimer = setTimeout(() => {
      const { view } = store.getState();
      if (!imageReady || view.mode === 'generate') return;
      send({ type: 'strip', requestId: id, degradation: view.degradation, seed: view.seed, ...(view.mode === 'own' ? { own: view.own } : {}) });
    }, STRIP_DEBOUNCE_MS);
  };

  /** Generating: once a run has the model, the samples of the seeds around it, unless they are already shown or under way. */
  const requestGrid = () => {
    const { view, sampleGrid } = store.getState();
    const key = gridKey(view);
    if (view.mode !== 'generate' || sampleGrid?.key === key) return;
    const seeds = gridSeeds(view.seed);
    store.setState({ sampleGrid: { key, seeds, state: null, error: null } });
    send({ type: 'grid', requestId: ++gridRequest, request: { dataset: view.dataset, colour: view.colour, sigma: view.sigma, seeds } });
  };

  /** A visitor's file keeps the current image usable until it has decoded: a broken file stops nothing. */
  const setImage = (source: ImageSource, localName: string | null) => {
    if (source.kind !== 'file') imageReady = false;
    pendingLocal = localName;
    send({ type: 'setImage', requestId: ++imageRequest, source });
  };
  const loadSample = (id: string) => {
    const sample = SAMPLES.find((s) => s.id === id) ?? SAMPLES[0]!;
    setImage({ kind: 'url', url: sampleUrl(sample, base) }, null);
  };
  /** The visitor's image from the link; if it cannot be read, a notice and the gallery image. */
  const loadLinkImage = (value: string) => {
    try {
      const { bytes, mime } = decodeImageParam(value);
      setImage({ kind: 'link', file: new Blob([bytes], { type: mime }), name: LINK_IMAGE }, LINK_IMAGE);
    } catch {
      linkImageFailed(NOTICE_TEXT.linkImageNotImageData);
    }
  };
  const linkImageFailed = (why: string) => {
    // A link notice: the gallery image loaded next clears the 'image' ones, and the visitor must still see this.
    notify('warning', NOTICE_TEXT.linkImageUnreadable(why), 'link');
    store.getState().setView({ imageData: '' });
    loadSample(store.getState().view.image);
  };

  let framesPort: MessagePort | null = null;
  const onEvent = (e: WorkerEvent) => {
    if (sweeps.onEvent(e)) return;
    switch (e.type) {
      case 'backend': {
        const probe = e.probes.find((p) => p.name === e.name);
        store.setState({ backend: { name: e.name, detail: [probe?.detail, e.note?.detail].filter(Boolean).join(', '), software: probe?.software ?? false, reason: e.reason, threads: e.note?.threads ?? null } });
        stepTimes.useBackend(`${e.name}:${e.note?.threads ?? 1}`);
        store.getState().clearNotices('backend');
        // A grid under way stopped with the old backend: ask again after the next run's first step.
        store.setState({ sampleGrid: null });
        for (const n of backendNotices(e.name, store.getState().view.backend, e.reason, e.note?.limitation ?? null)) notify(n.level, n.text, 'backend');
        if (imageReady) startRun(0);
        break;
      }
      case 'modelProgress':
        store.setState((s) => ({ model: { ...s.model, status: 'loading', fraction: e.fraction, totalBytes: e.totalBytes, error: null } }));
        break;
      case 'wasmThreadsMeasured':
        rememberThreads(e.threads, cores);
        lookWanted = false;
        break;
      case 'startup':
        store.setState({ startup: startupPhases({ workerCreated, ...e.times }, performance.timeOrigin) });
        break;
      case 'framesPort':
        // The steps' frames (and their run's end), posted by the pictures' worker beside the sampler's.
        framesPort = e.port;
        framesPort.onmessage = (m: MessageEvent<WorkerEvent>) => onEvent(m.data);
        break;
      case 'modelWarming':
        store.setState((s) => ({ model: { ...s.model, status: 'warming', fraction: 1, error: null } }));
        break;
      case 'modelReady':
        store.setState({ model: { status: 'ready', fraction: 1, totalBytes: e.bytes, parameters: e.parameters, error: null, warmUpMs: e.warmUpMs } });
        store.getState().clearNotices('model');
        break;
      case 'image':
        if (e.requestId !== imageRequest) return;
        imageReady = true;
        store.setState({ original: e.pixels, localImage: pendingLocal });
        store.getState().clearNotices('image');
        if (pendingLocal !== null) store.getState().setView({ frame: 0 });
        requestStrip();
        startRun(0);
        break;
      case 'frame': {
        if (e.runId !== runId) return;
        const playing = clock.flowing && store.getState().playing;
        if (e.msPerStep !== null) stepTimes.add(e.msPerStep, playing ? store.getState().view.fps : null);
        store.setState((s) => {
          const frames = s.frames.slice();
          frames[e.frame.index] = e.frame;
          const shown = s.following ? { view: { ...s.view, frame: e.frame.index } } : {};
          const stepProfiles = e.profile ? [...s.stepProfiles, e.profile] : s.stepProfiles;
          return { frames, stepProfiles, msPerStep: e.msPerStep ?? s.msPerStep, ...shown };
        });
        if (e.frame.index >= 1) requestGrid();
        break;
      }
      case 'strip':
        if (e.requestId === stripRequest) store.setState({ forwardStrip: e.frames, mixedIn: e.mixedIn, transformWarning: e.warning ?? null });
        break;
      case 'grid':
        if (e.requestId === gridRequest) store.setState((s) => (s.sampleGrid ? { sampleGrid: { ...s.sampleGrid, state: e.state } } : {}));
        break;
      case 'memory':
        store.setState({ workerMemory: { numTensors: e.numTensors, numBytes: e.numBytes } });
        break;
      case 'runDone':
        if (e.runId === runId) {
          store.setState({ runDone: true, following: false, runMissing: e.missing ?? null });
          store.getState().clearNotices('run');
        }
        break;
      case 'training': {
        const before = store.getState().training;
        const after = withReport(before, e.report);
        store.setState({ training: after });
        if (!after || after === before) break;
        const { view, runMissing } = store.getState();
        if (view.mode !== 'own') break;
        // The panels wait for a restorer, or training ended: run again on the snapshot now there.
        const ended = before?.status === 'running' && after.status !== 'running';
        const wanted = view.restorer === 'oracle' ? null : view.restorer;
        if ((runMissing && after.snapshots.some((sn) => sn.name === wanted)) || (ended && wanted !== null)) startRun(0);
        break;
      }
      case 'ownModelFile': {
        if (e.requestId !== modelRequest) return;
        const { view, training } = store.getState();
        const url = URL.createObjectURL(new Blob([e.bytes as Uint8Array<ArrayBuffer>], { type: 'application/zip' }));
        const a = document.createElement('a');
        a.href = url;
        a.download = `cold-diffusion-restorer_own-T${ownTransformOf(view).T}_${training?.steps ?? 0}steps.zip`;
        a.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
        notify('info', 'Restorer downloaded: open it here again (drop it on the page, or "Open a restorer file") to restore with it without training.', 'run');
        break;
      }
      case 'ownModelOpened':
        if (e.requestId !== modelRequest) return;
        store.setState({ openedModel: { name: e.name, info: e.info }, training: null });
        store.getState().setView({ mode: 'own', own: e.info.transform, restorer: 'trained' });
        store.getState().clearNotices('model');
        notify('info', `Opened "${e.name}": the restorer for this transform (${e.info.parameters.toLocaleString('en')} parameters).`, 'model');
        startRun(0);
        requestStrip();
        break;
      case 'error':
        onError(e);
        break;
    }
  };
  const onError = (e: Extract<WorkerEvent, { type: 'error' }>) => {
    if (e.scope === 'ownModel') {
      // The restorer in use stays; nothing is lost.
      if (e.requestId === modelRequest) notify('error', e.message, 'model');
    } else if (e.scope === 'training') {
      store.setState((s) => (s.training ? { training: { ...s.training, status: 'failed', message: e.message } } : {}));
      notify('error', `Training could not run: ${e.message}`, 'run');
    } else if (e.scope === 'grid') {
      // The big panels are unaffected: the grid says what went wrong in its place.
      if (e.requestId === gridRequest) store.setState((s) => (s.sampleGrid ? { sampleGrid: { ...s.sampleGrid, error: e.message } } : {}));
    } else if (e.scope === 'image') {
      if (e.requestId !== imageRequest) return;
      if (pendingLocal === LINK_IMAGE) linkImageFailed(e.message.replace(/^"the image from the link" /, ''));
      // The previous image and its run stay; nothing is lost.
      else notify('error', e.message, 'image');
    } else if (e.scope === 'model') {
      store.setState((s) => ({ model: { ...s.model, status: 'error', error: e.message }, playing: false, following: false }));
      store.getState().clearNotices('model');
      notify('error', NOTICE_TEXT.modelFailed(e.message), 'model');
    } else {
      if (e.runId !== undefined && e.runId !== runId) return;
      store.setState({ playing: false, following: false });
      notify('error', e.message, 'run');
    }
  };
  worker.onmessage = (event: MessageEvent<WorkerEvent>) => onEvent(event.data);
  worker.onerror = (e) => notify('error', NOTICE_TEXT.workerFailed(e.message));

  // A seam for benchmarks and tests (set before the page loads); visitors get the measured count.
  const seams = globalThis as { coldDiffusionWasmThreads?: number; coldDiffusionGpuWarmUp?: boolean; coldDiffusionPaintAside?: boolean };
  const { coldDiffusionWasmThreads: wasmThreads, coldDiffusionGpuWarmUp: gpuWarmUp, coldDiffusionPaintAside: paintAside } = seams;
  const cores = navigator.hardwareConcurrency || 1;
  const remembered = wasmThreads ? null : rememberedThreads(cores);
  const init = () =>
    send({
      type: 'init',
      backend: store.getState().view.backend,
      modelBaseUrl: `${base}models/`,
      ...(wasmThreads ? { wasmThreads } : {}),
      ...(remembered ? { rememberedWasmThreads: remembered } : {}),
      ...(gpuWarmUp === false ? { gpuWarmUp } : {}),
      ...(paintAside === false ? { paintAside } : {}),
    });
  init();
  // A start from the remembered count looks at the cores when a run is done and the page idle, for the next visit: the
  // worker looks once it finds nothing else under way (a grid, a sweep, a training), and says what it found.
  let lookWanted = remembered !== null;
  let lookAsked = false;
  const idleAfterRun = (s: AppState) => s.runDone && !s.playing && !s.following;
  const stopWaitingToLook = store.subscribe((s) => {
    if (!lookWanted) return;
    if (!idleAfterRun(s)) lookAsked = false;
    else if (!lookAsked) {
      lookAsked = true;
      const look = () => lookWanted && idleAfterRun(store.getState()) && send({ type: 'lookAtCores' });
      if (typeof requestIdleCallback === 'function') requestIdleCallback(look, { timeout: 2000 });
      else setTimeout(look, 500);
    }
  });
  send({ type: 'prefetchModel', settings: runSettings(store.getState().view) });
  if (store.getState().view.imageData) loadLinkImage(store.getState().view.imageData);
  else loadSample(store.getState().view.image);
  // Whether training went on while the tab was hidden (browsers may slow a hidden tab's worker).
  let hidden: { at: number; steps: number } | null = null;
  const onVisibility = () => {
    const { training } = store.getState();
    if (document.hidden) {
      hidden = training?.status === 'running' ? { at: performance.now(), steps: training.steps } : null;
      return;
    }
    if (!hidden || !training) return;
    const away = performance.now() - hidden.at;
    const steps = training.steps - hidden.steps;
    if (away >= HIDDEN_REPORT_MS) {
      const minutes = away >= 90_000 ? `${Math.round(away / 60_000)} min` : `${Math.round(away / 1000)} s`;
      notify('info', steps > 0 ? `While this tab was hidden (${minutes}), training went on: ${steps} steps.` : `While this tab was hidden (${minutes}), training paused: the browser held it back. It goes on now.`, 'run');
    }
    hidden = null;
  };
  document.addEventListener('visibilitychange', onVisibility);

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.training && s.training.trainingId !== prev.training?.trainingId && s.training.status === 'starting') {
      send({ type: 'train', trainingId: s.training.trainingId, transform: s.training.transform, budget: s.view.budget, loss: s.view.loss, warm: s.view.warm, pictures: trainingPictures(base), withCurrent: s.localImage !== null });
    }
    if (s.trainingCommand && s.trainingCommand !== prev.trainingCommand) send({ type: 'trainControl', action: s.trainingCommand.action });
    if (s.modelDownloads !== prev.modelDownloads) {
      const last = s.training?.evaluations.at(-1);
      const about = { backend: s.backend?.name ?? null, trainedIn: 'the page', date: new Date().toISOString(), ...(last ? { heldOutPsnr: last } : {}) };
      send({ type: 'exportOwnModel', requestId: ++modelRequest, transform: s.view.own, about });
    }
    if (s.view.imageData !== prev.view.imageData) {
      if (s.view.imageData) loadLinkImage(s.view.imageData);
      else if (s.localImage === LINK_IMAGE) loadSample(s.view.image);
    }
    if (s.modelRetries !== prev.modelRetries) startRun(0);
    if (s.view.backend !== prev.view.backend) init();
    const sampleChanged = s.view.image !== prev.view.image || (prev.localImage !== null && s.localImage === null);
    if (sampleChanged && s.localImage === null) loadSample(s.view.image);
    else if (startsNewRun(s.view, prev.view)) startRun(RUN_DEBOUNCE_MS);
    if (redrawsStrip(s.view, prev.view) || s.modelRetries !== prev.modelRetries) requestStrip();
  });

  return {
    pageSettled: () => send({ type: 'pageSettled' }),
    loadFile(file, name) {
      // A restorer file (your own transform), by the same drop, paste or picker as a picture.
      if (name.toLowerCase().endsWith(OWN_MODEL_EXTENSION) || file.type === 'application/zip') {
        send({ type: 'openOwnModel', requestId: ++modelRequest, file, name });
        return;
      }
      if (store.getState().view.imageData) store.getState().setView({ imageData: '' });
      setImage({ kind: 'file', file, name }, name);
    },
    dispose() {
      unsubscribe();
      stopWaitingToLook();
      document.removeEventListener('visibilitychange', onVisibility);
      clearTimeout(stripTimer);
      sweeps.dispose();
      clock.dispose();
      clearTimeout(runTimer);
      framesPort?.close();
      worker.terminate();
    },
  };
}
