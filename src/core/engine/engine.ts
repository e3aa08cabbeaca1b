import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_LABELS, backendOrder, probeBackends, type BackendChoice, type BackendName, type BackendProbe } from '../backend';
import { createDegradation, loadMixPool, poolIndex, type Degradation, type MixPool } from '../degradations';
import { degradationInfo, GENERATION } from '../degradations/catalog';
import { generationStart, parseGenerationStart } from '../generation';
import { floatToRgba, rgbaToTensor } from '../image';
import { psnr, rmse } from '../metrics';
import { loadModel, ModelLoadError, type FileSource, type LoadedModel, type LoadProgress } from '../model/loader';
import { jointSampler, type Restorer } from '../samplers';
import { isCheckpoint, RESIDUAL_GAIN, type ChainPixels, type DirectPixels, type ForwardStrip, type FramePixels, type MixedIn, type Pixels, type RunSettings } from './types';

/** What the engine reports while it works; errors come back as rejected promises instead. */
export type EngineEvent =
  | { type: 'backend'; name: BackendName; probes: BackendProbe[]; fallbackFrom: BackendName[]; reason: string | null; note: BackendNote | null }
  | { type: 'modelProgress'; fraction: number; loadedBytes: number; totalBytes: number }
  | { type: 'modelReady'; parameters: number; bytes: number; degradation: string }
  | { type: 'frame'; runId: number; frame: FramePixels; msPerStep: number | null }
  | { type: 'runDone'; runId: number; msPerStep: number | null }
  /** After each run has let go of its tensors: what the backend still holds (the models and the image). */
  | { type: 'memory'; numTensors: number; numBytes: number };

/** What the environment adds about a started backend (WASM: its threads and why that many). */
export interface BackendNote {
  detail: string;
  /** WASM: the threads it really runs. */
  threads: number | null;
  /** Something that keeps the backend slower than it could be; null when nothing does. */
  limitation: string | null;
}

export interface EngineOptions {
  /** Where models/<id>/ is read from: HTTP in the browser, a folder under Node. */
  modelSource(modelId: string): FileSource;
  emit(event: EngineEvent): void;
  /** Which backends this environment has (the browser's feature detection by default). */
  probe?: () => Promise<BackendProbe[]>;
  /** Flags a backend needs before it starts (set by the worker). */
  prepareBackend?: (name: BackendName) => void | Promise<void>;
  /** Read once the backend has started. */
  describeBackend?: (name: BackendName) => BackendNote | null;
  /** The watchdog's limit for a step (ms); tests make it short. */
  stepTimeoutMs?: (stepIndex: number, stepTimes: readonly number[]) => number;
}

/** A run that a newer request replaced; not an error for the visitor. */
class Superseded extends Error {
  override name = 'Superseded';
}

/** The backend gave no answer in time, or said it was lost. */
export class BackendStopped extends Error {
  override name = 'BackendStopped';
}

/** No answer after this long means the backend has stopped: generous for the first step (shader compilation on a software GPU took over a minute), then 20× the slowest step so far, at least 30 s. */
function defaultStepTimeout(stepIndex: number, times: readonly number[]): number {
  if (stepIndex <= 1 || times.length === 0) return 180_000;
  return Math.max(30_000, 20 * Math.max(...times));
}

const GPU_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];

/**
 * The run loop of the page, free of the DOM: it keeps the model and the image on the
 * current backend, runs the samplers for one settings object at a time, lets a newer run
 * supersede an older one between steps (freeing its tensors), and moves to the next
 * backend when a GPU backend fails mid-run.
 */
export class SamplingEngine {
  private probes: BackendProbe[] = [];
  private order: BackendName[] = [];
  /** Loaded models by id, least recently used first (a few, so switching back is instant). */
  private models = new Map<string, LoadedModel>();
  /** Downloads under way, outside the queue: a slow one never blocks a newer request. */
  private loads = new Map<string, { promise: Promise<LoadedModel>; controller: AbortController; waiting: number }>();
  /** Pictures that degradations mix in, by degradation id: plain data, kept across backends; a failed load is dropped. */
  private pools = new Map<string, Promise<MixPool>>();
  /** The model the current run waits for or uses: the one whose progress is reported, never evicted. */
  private wantedModel: string | null = null;
  /** How long the steps on this backend took (ms), for the watchdog. */
  private stepTimes: number[] = [];
  private onBackendLost: ((why: string) => void) | null = null;
  /** The settings of the newest run asked for. */
  private latest: RunSettings | null = null;
  /** Called whenever the current run changes, so waits of superseded runs end at once. */
  private onSupersede = new Set<() => void>();
  private image: { pixels: Pixels; floats: Float32Array; tensor: tf.Tensor4D | null } | null = null;
  /** The only run allowed to go on (null: none); any other stops at its next step. */
  private current: number | null = null;
  private get currentRun(): number | null {
    return this.current;
  }
  private set currentRun(id: number | null) {
    this.current = id;
    for (const wake of [...this.onSupersede]) wake();
  }
  /** One operation at a time: runs, image changes and backend switches never interleave. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: EngineOptions) {}

  /** Resolves when every queued operation has finished. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Starts the backend for a choice ('auto': the best this environment has); stops any run. */
  setBackend(choice: BackendChoice): Promise<void> {
    this.currentRun = null;
    return this.serial(async () => {
      if (this.probes.length === 0) this.probes = await (this.options.probe ?? probeBackends)();
      this.order = backendOrder(this.probes, choice);
      this.dropBackendTensors();
      await this.switchBackend(this.order, null);
    });
  }

  /** The original to restore (already at the working size); stops any run. */
  setImage(pixels: Pixels): Promise<void> {
    this.currentRun = null;
    return this.serial(async () => {
      this.image?.tensor?.dispose();
      const tensor = rgbaToTensor(pixels.rgba, pixels.width, pixels.height);
      this.image = { pixels, tensor, floats: (await tensor.data()) as Float32Array };
    });
  }

  /**
   * Runs the samplers for `settings`, emitting frame 0 (the degraded input) at once and then
   * one frame per step. A newer run, image or backend supersedes it: it then resolves early.
   */
  run(runId: number, settings: RunSettings): Promise<void> {
    this.latest = settings;
    this.currentRun = runId;
    this.cancelUnneededLoads();
    return this.serial(() => this.runWithRecovery(runId, settings).finally(() => this.reportMemory())).catch((e: unknown) => {
      if (!(e instanceof Superseded)) throw e;
    });
  }

  /**
   * The forward process D(x0, t) of the image at `count` steps spread over 0..T, for the strip
   * above the panels. Queued like a run, so it never races a backend switch.
   */
  async forwardStrip(settings: Pick<RunSettings, 'degradation' | 'seed'>, count = 8): Promise<ForwardStrip | null> {
    // Outside the queue: a slow pool download must not hold up runs.
    const pool = await this.poolFor(settings.degradation);
    return this.serial(async () => {
      const x0 = this.imageTensor();
      if (!x0) return null;
      const D = createDegradation(settings.degradation, { seed: settings.seed, pool: pool ?? undefined });
      const steps = [...new Set(Array.from({ length: count }, (_, k) => Math.round((k * D.T) / (count - 1))))];
      const size = { width: x0.shape[2], height: x0.shape[1] };
      const out: { t: number; pixels: Pixels }[] = [];
      for (const t of steps) {
        const x = D.apply(x0, t);
        try {
          out.push({ t, pixels: toPixels((await x.data()) as Float32Array, size) });
        } finally {
          x.dispose();
        }
      }
      return { frames: out, mixedIn: pool && mixedIn(pool, settings.seed) };
    });
  }

  /** The pool of pictures `degradation` mixes in (loaded once, with its digest checked); null when it mixes in none. */
  private poolFor(degradation: RunSettings['degradation']): Promise<MixPool> | null {
    if (!degradationInfo(degradation).mixesPicture) return null;
    let loading = this.pools.get(degradation);
    if (!loading) {
      const started: Promise<MixPool> = loadMixPool(this.options.modelSource(degradation));
      loading = started;
      this.pools.set(degradation, started);
      started.catch(() => this.pools.get(degradation) === started && this.pools.delete(degradation));
    }
    return loading;
  }

  private reportMemory(): void {
    const { numTensors, numBytes } = tf.memory();
    this.options.emit({ type: 'memory', numTensors, numBytes });
  }

  /** Stops a run at its next step (nothing happens if a newer one already replaced it). */
  cancel(runId: number): void {
    if (this.currentRun === runId) this.currentRun = null;
  }

  /** Frees every tensor the engine holds. */
  dispose(): void {
    this.currentRun = null;
    this.dropBackendTensors();
    this.image = null;
  }

  private serial<T>(job: () => Promise<T>): Promise<T> {
    const next = this.queue.then(job, job);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private check(runId: number): void {
    if (runId !== this.currentRun) throw new Superseded();
  }

  private async switchBackend(candidates: BackendName[], reasonPrefix: string | null): Promise<void> {
    const failed: string[] = [];
    for (const name of candidates) {
      try {
        await this.options.prepareBackend?.(name);
        this.stepTimes = [];
        if (!(await tf.setBackend(name))) throw new Error('initialisation failed');
        await tf.ready();
        tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
        const skipped = this.order.slice(0, this.order.indexOf(name));
        const reason = [reasonPrefix, ...failed].filter(Boolean).join(' ') || null;
        const note = this.options.describeBackend?.(name) ?? null;
        this.options.emit({ type: 'backend', name, probes: this.probes, fallbackFrom: skipped, reason, note });
        return;
      } catch (e) {
        failed.push(`${BACKEND_LABELS[name]} failed (${(e as Error).message}).`);
      }
    }
    throw new Error(`No backend could start: ${failed.join(' ')}`);
  }

  /** Before a backend switch: drop tensors that live on the old one (recreated lazily). */
  private dropBackendTensors(): void {
    for (const load of this.loads.values()) load.controller.abort();
    this.loads.clear();
    try {
      for (const m of this.models.values()) m.unet.dispose();
      this.image?.tensor?.dispose();
    } catch {
      // The old device may be gone already; its memory went with it.
    }
    this.models.clear();
    if (this.image) this.image.tensor = null;
  }

  private imageTensor(): tf.Tensor4D | null {
    if (!this.image) return null;
    this.image.tensor ??= rgbaToTensor(this.image.pixels.rgba, this.image.pixels.width, this.image.pixels.height);
    return this.image.tensor;
  }

  /**
   * A step's results, or a BackendStopped error when the backend gives no answer in time (a
   * lost WebGL context sends no event to the run and leaves its read-back pending) or reports
   * itself lost (backendLost). The first step may compile shaders: it gets longer.
   */
  private answered<T>(promise: Promise<T>, stepIndex: number, since: number): Promise<T> {
    const limit = this.options.stepTimeoutMs?.(stepIndex, this.stepTimes) ?? defaultStepTimeout(stepIndex, this.stepTimes);
    const backend = tf.getBackend() as BackendName;
    return new Promise<T>((resolve, reject) => {
      const fail = (why: string) => {
        clearTimeout(timer);
        this.onBackendLost = null;
        reject(new BackendStopped(`${BACKEND_LABELS[backend] ?? backend} stopped answering (${why})`));
      };
      const timer = setTimeout(() => fail(`no result for ${Math.round(limit / 1000)} s`), Math.max(0, limit - (performance.now() - since)));
      this.onBackendLost = fail;
      promise.then(
        (v) => {
          clearTimeout(timer);
          this.onBackendLost = null;
          this.stepTimes.push(performance.now() - since);
          resolve(v);
        },
        (e: unknown) => {
          clearTimeout(timer);
          this.onBackendLost = null;
          reject(e);
        },
      );
    });
  }

  /** For the worker: a backend reported itself lost (WebGL context lost, WebGPU device lost); ignored once another runs. */
  backendLost(name: BackendName, reason: string): void {
    if (tf.getBackend() === name) this.onBackendLost?.(reason);
  }

  /** Resolves like `promise`, or rejects with Superseded as soon as `runId` is no longer the current run. */
  private whileCurrent<T>(runId: number, promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const wake = () => {
        if (runId === this.currentRun) return;
        this.onSupersede.delete(wake);
        reject(new Superseded());
      };
      this.onSupersede.add(wake);
      wake();
      promise.then(
        (v) => {
          this.onSupersede.delete(wake);
          resolve(v);
        },
        (e: unknown) => {
          this.onSupersede.delete(wake);
          reject(e);
        },
      );
    });
  }

  /**
   * The model in models/<modelId>/ (trained for `degradation`), for run `runId`: cached, or
   * downloaded outside the queue. A superseded run stops waiting at once; a download no run
   * waits for any more is cancelled.
   */
  private async ensureModel(runId: number, modelId: string, degradation: string): Promise<LoadedModel> {
    const { emit } = this.options;
    this.wantedModel = modelId;
    const cached = this.models.get(modelId);
    if (cached) {
      this.models.delete(modelId);
      this.models.set(modelId, cached);
      emit({ type: 'modelReady', parameters: cached.unet.parameterCount, bytes: cached.bytes, degradation });
      return cached;
    }
    let load = this.loads.get(modelId);
    if (!load) {
      const controller = new AbortController();
      const progress = (p: LoadProgress) => {
        if (this.wantedModel === modelId) emit({ type: 'modelProgress', fraction: p.fraction, loadedBytes: p.loadedBytes, totalBytes: p.totalBytes });
      };
      const promise = loadModel(this.options.modelSource(modelId), progress, controller.signal).then((loaded) => {
        if (loaded.manifest.degradation.id !== degradation) {
          loaded.unet.dispose();
          throw new ModelLoadError(`models/${modelId}/ holds a model trained for "${loaded.manifest.degradation.id}"`, 'mismatch');
        }
        this.models.set(modelId, loaded);
        this.evictModels();
        return loaded;
      });
      const entry = { promise, controller, waiting: 0 };
      load = entry;
      this.loads.set(modelId, entry);
      // Settled either way: nobody may be waiting any more, and a failed load is retried afresh.
      promise.then(
        () => this.loads.get(modelId) === entry && this.loads.delete(modelId),
        () => this.loads.get(modelId) === entry && this.loads.delete(modelId),
      );
    }
    load.waiting++;
    try {
      const loaded = await this.whileCurrent(runId, load.promise);
      emit({ type: 'modelReady', parameters: loaded.unet.parameterCount, bytes: loaded.bytes, degradation });
      return loaded;
    } finally {
      load.waiting--;
      this.cancelUnneededLoads();
    }
  }

  /** Cancels downloads that no run waits for and the latest request does not need (moving t mid-download keeps it). */
  private cancelUnneededLoads(): void {
    const needed = modelFor(this.latest)?.modelId;
    for (const [id, load] of this.loads) {
      if (load.waiting > 0 || id === needed) continue;
      load.controller.abort();
      this.loads.delete(id);
    }
  }

  /** Keeps the few most recently used models; the one in use stays. */
  private evictModels(): void {
    for (const [id, m] of this.models) {
      if (this.models.size <= MODELS_KEPT) break;
      if (id === this.wantedModel) continue;
      m.unet.dispose();
      this.models.delete(id);
    }
  }

  private async runWithRecovery(runId: number, settings: RunSettings): Promise<void> {
    for (;;) {
      try {
        await this.runOnce(runId, settings);
        return;
      } catch (e) {
        const current = tf.getBackend() as BackendName;
        const rest = this.order.slice(this.order.indexOf(current) + 1);
        const err = e as Error;
        if (err instanceof Superseded || !GPU_BACKENDS.includes(current) || rest.length === 0 || err.name === 'ModelLoadError') throw e;
        // A lost GPU device (driver reset, tab backgrounded on mobile…): carry on elsewhere.
        this.dropBackendTensors();
        await this.switchBackend(rest, `${BACKEND_LABELS[current]} stopped working (${err.message}).`);
        this.check(runId);
      }
    }
  }

  /** Restoring: the image degraded to t. Generating: a flat colour plus noise from the seed. */
  private async startOf(runId: number, settings: RunSettings): Promise<RunStart | null> {
    if (settings.mode === 'generate') {
      const loaded = await this.ensureModel(runId, GENERATION.modelId, GENERATION.degradationId);
      const start = generationStart(parseGenerationStart(loaded.manifest.degradation.start), settings.seed, GENERATION.size);
      const xs = tf.tensor4d(start, [1, GENERATION.size, GENERATION.size, 3]);
      return { D: createDegradation(GENERATION.degradationId), xs, original: null };
    }
    const loading = this.poolFor(settings.degradation);
    const pool = loading && (await this.whileCurrent(runId, loading));
    const x0 = this.imageTensor();
    if (!x0 || !this.image) return null;
    const D = createDegradation(settings.degradation, { seed: settings.seed, pool: pool ?? undefined });
    return { D, xs: D.apply(x0, settings.t), original: { tensor: x0, floats: this.image.floats } };
  }

  /** R(x_s, s) for the run: the network, or the oracle (the true x0 for every chain). */
  private async restorerFor(runId: number, settings: RunSettings, start: RunStart): Promise<Restorer> {
    if (settings.restorer === 'oracle') {
      if (!start.original) throw new Error('The oracle restorer needs an original image: there is none when generating.');
      const x0 = start.original.tensor;
      return (x) => tf.tidy(() => tf.tile(x0, [x.shape[0], 1, 1, 1]));
    }
    const { modelId, degradation } = modelFor(settings)!;
    const { unet } = await this.ensureModel(runId, modelId, degradation);
    return (x, s) => unet.predict(x, s);
  }

  private async runOnce(runId: number, settings: RunSettings): Promise<void> {
    this.check(runId);
    const start = await this.startOf(runId, settings);
    if (!start) return;
    const { D, xs, original } = start;
    const { emit } = this.options;
    const size = { width: xs.shape[2], height: xs.shape[1] };
    const reference = original ? { data: original.floats, ...size } : null;
    let generator: ReturnType<typeof jointSampler<'naive' | 'improved'>> | null = null;
    let direct: tf.Tensor4D | null = null;
    let directPsnr: number | null = null;
    try {
      this.check(runId);
      // The degraded input first, so the slider answers at once, even while the model downloads.
      const startFloats = (await xs.data()) as Float32Array;
      this.check(runId);
      const startChain = (): ChainPixels => ({ xt: toPixels(startFloats, size), psnr: reference && psnr({ data: startFloats, ...size }, reference), drift: reference ? 0 : null, step: null });
      emit({ type: 'frame', runId, frame: { index: 0, t: settings.t, naive: startChain(), improved: startChain(), direct: null }, msPerStep: null });
      const R = await this.restorerFor(runId, settings, start);
      this.check(runId);
      generator = jointSampler(D, R, xs, settings.t, KINDS);
      /** Each chain's x_s, to show the residual x_s − D(x̂0, s) of the next step. */
      const previous: Record<(typeof KINDS)[number], Float32Array> = { naive: startFloats, improved: startFloats };
      let last = performance.now();
      let msPerStep: number | null = null;
      for (const f of generator) {
        const owned: tf.Tensor4D[] = KINDS.flatMap((k) => [f.chains[k].xt, f.chains[k].x0, f.chains[k].atS, f.chains[k].atPrev]).filter((x): x is tf.Tensor4D => x !== null);
        try {
          if (f.index === 0) {
            last = performance.now();
            continue;
          }
          const first = f.index === 1;
          if (first) direct = tf.clone(f.chains.naive.x0!);
          // The true trajectory D(x0, s−1) and direct's path D(x̂0_direct, s−1), in one call.
          const paths = original && direct ? tf.tidy(() => tf.split<tf.Tensor4D>(D.apply(tf.concat4d([original.tensor, direct!], 0), f.t), 2, 0)) : [];
          owned.push(...paths);
          const tensors = [...paths, ...KINDS.flatMap((k) => [f.chains[k].xt, f.chains[k].x0!, f.chains[k].atS!, f.chains[k].atPrev!])];
          // A lost GPU can leave a read-back waiting forever: the watchdog turns that into a failure.
          const values = (await this.answered(Promise.all(tensors.map((x) => x.data())), f.index, last)) as Float32Array[];
          const [truth, directPath] = paths.length ? [values[0]!, values[1]!] : [null, null];
          const chains = {} as Record<(typeof KINDS)[number], ChainPixels>;
          KINDS.forEach((k, i) => {
            const [xt, x0, atS, atPrev] = values.slice(paths.length + 4 * i, paths.length + 4 * i + 4);
            chains[k] = chainPixels(xt!, x0!, atS!, atPrev!, previous[k], size, reference, truth);
            previous[k] = xt!;
          });
          // Both chains start at x_t, so their first estimate is the direct result.
          if (first) directPsnr = chains.naive.step!.x0Psnr;
          const directFrame: DirectPixels = {
            x0: first ? chains.naive.step!.x0 : null,
            psnr: directPsnr,
            pathPsnr: reference && directPath ? psnr({ data: directPath, ...size }, reference) : null,
            pathDrift: truth && directPath ? rmse({ data: directPath, ...size }, { data: truth, ...size }) : null,
          };
          const now = performance.now();
          msPerStep = now - last;
          last = now;
          this.check(runId);
          emit({ type: 'frame', runId, frame: { index: f.index, t: f.t, ...chains, direct: directFrame }, msPerStep });
        } finally {
          tf.dispose(owned);
        }
        // Let a newer request (slider moved, Reset) arrive between steps.
        await new Promise((resolve) => setTimeout(resolve, 0));
        this.check(runId);
      }
      emit({ type: 'runDone', runId, msPerStep });
    } finally {
      generator?.return(undefined);
      xs.dispose();
      direct?.dispose();
    }
  }
}

const KINDS = ['naive', 'improved'] as const;

/** The model a run needs (null: none, the oracle); an earlier checkpoint lives in models/<id>-<name>/. */
function modelFor(settings: RunSettings | null): { modelId: string; degradation: string } | null {
  if (!settings) return null;
  if (settings.mode === 'generate') return { modelId: GENERATION.modelId, degradation: GENERATION.degradationId };
  if (settings.restorer === 'oracle') return null;
  const modelId = isCheckpoint(settings.restorer) ? `${settings.degradation}-${settings.restorer}` : settings.degradation;
  return { modelId, degradation: settings.degradation };
}

function mixedIn(pool: MixPool, seed: number): MixedIn {
  const index = poolIndex(pool, seed);
  const n = pool.size * pool.size;
  const rgba = new Uint8ClampedArray(n * 4);
  for (let i = 0; i < n; i++) {
    rgba.set(pool.pixels.subarray((index * n + i) * 3, (index * n + i) * 3 + 3), i * 4);
    rgba[i * 4 + 3] = 255;
  }
  return { picture: pool.pictures[index]!, index, count: pool.pictures.length, pixels: { width: pool.size, height: pool.size, rgba } };
}

/** Models kept loaded at once (a few MB each). */
const MODELS_KEPT = 3;

interface RunStart {
  D: Degradation;
  xs: tf.Tensor4D;
  /** null when generating. */
  original: { tensor: tf.Tensor4D; floats: Float32Array } | null;
}

type Size = { width: number; height: number };

const toPixels = (values: Float32Array, { width, height }: Size): Pixels => ({ width, height, rgba: floatToRgba(values, width * height) });

/** One chain's frame: its state and the parts of the step that produced it. */
function chainPixels(
  xt: Float32Array,
  x0: Float32Array,
  atS: Float32Array,
  atPrev: Float32Array,
  xs: Float32Array,
  size: Size,
  reference: { data: Float32Array; width: number; height: number } | null,
  truth: Float32Array | null,
): ChainPixels {
  const residual = new Float32Array(xs.length);
  let squares = 0;
  for (let i = 0; i < xs.length; i++) {
    const r = xs[i]! - atS[i]!;
    residual[i] = r * RESIDUAL_GAIN;
    squares += (r / 2) ** 2;
  }
  return {
    xt: toPixels(xt, size),
    psnr: reference && psnr({ data: xt, ...size }, reference),
    drift: truth && rmse({ data: xt, ...size }, { data: truth, ...size }),
    step: {
      x0: toPixels(x0, size),
      atS: toPixels(atS, size),
      atPrev: toPixels(atPrev, size),
      residual: toPixels(residual, size),
      residualRms: Math.sqrt(squares / xs.length),
      x0Psnr: reference && psnr({ data: x0, ...size }, reference),
    },
  };
}
