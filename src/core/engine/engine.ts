import { localPainter, PainterStopped, type StepPainter } from './stepPainter';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice, BackendName } from '../backend';
import { createDegradation } from '../degradations';
import { generatorFor } from '../degradations/catalog';
import { parseGenerationStart } from '../generation';
import { loadModel, type FileSource } from '../model/loader';
import { BackendSwitch, type BackendHooks } from './backendSwitch';
import type { EngineEvent } from './events';
import { forwardFrames } from './frames';
import { ModelCache } from './modelCache';
import { mixedIn, PoolCache } from './poolCache';
import { RunLoop } from './runLoop';
import { RunQueue, Superseded } from './runQueue';
import { SampleGrid, type GridRequest, type GridState } from './sampleGrid';
import { SourceImage } from './sourceImage';
import { runStepSweep, type StepSweep, type SweepProgress } from './stepSweep';
import type { ForwardStrip, Pixels, RunSettings } from './types';
import { StepWatchdog, type StepTimeout } from './watchdog';
import { OwnDegradation, transformWarning } from '../own/ownDegradation';
import { encodeTransform, parseTransform } from '../own/ownTransform';
import { recipeFor, SNAPSHOT_SECONDS, TrainingSession, type RecipeName, type SnapshotName, type TrainingRequest } from '../own/trainingSession';
import type { Restorer } from '../samplers';
import { openOwnModel, packOwnModel, type OwnModelInfo } from '../own/modelFile';
import type { WeightArray } from '../own/trainer';
import type { UNetTopology } from '../model/manifest';
import { UNet } from '../model/unet';

export type { BackendNote, EngineEvent } from './events';
export { BackendStopped } from './watchdog';

export interface EngineOptions extends BackendHooks {
  /** Where models/<id>/ is read from: HTTP in the browser, a folder under Node. */
  modelSource(modelId: string): FileSource;
  /** The watchdog's limit for a step (ms); tests make it short. */
  stepTimeoutMs?: StepTimeout;
  /** Whether to build a model's GPU programs as it arrives (default: yes); benchmarks measure without. */
  gpuWarmUp?: () => boolean;
  /** Who makes a step's pictures and figures (default: this thread, as under Node); the page's worker hands them to a second one. */
  painter?: StepPainter;
}

/**
 * The run loop of the page, free of the DOM: it keeps the model and the image on the
 * current backend, runs the samplers for one settings object at a time, lets a newer run
 * supersede an older one between steps (freeing its tensors), and moves to the next
 * backend when a GPU backend fails mid-run.
 */
export class SamplingEngine {
  private readonly runs = new RunQueue();
  private readonly watchdog: StepWatchdog;
  private readonly backends: BackendSwitch;
  private readonly models: ModelCache;
  private readonly pools: PoolCache;
  private readonly image = new SourceImage();
  private readonly loop: RunLoop;
  /** The newest grid of samples asked for; an older one stops at its next step. */
  private gridRequest = 0;
  /** The newest steps sweep asked for; an older one stops at its next restorer call. */
  private sweepRequest = 0;
  /** The restorer being (or last) trained for a visitor's own transform. */
  private training: TrainingSession | null = null;
  /** A restorer file the visitor opened: its weights as data (kept across backends) and its network on the current one. */
  private opened: { transform: string; topology: UNetTopology; weights: WeightArray[]; unet: UNet | null } | null = null;

  constructor(private readonly options: EngineOptions) {
    const emit = (event: EngineEvent) => options.emit(event);
    const modelSource = (id: string) => options.modelSource(id);
    this.watchdog = new StepWatchdog(options.stepTimeoutMs);
    this.backends = new BackendSwitch(options, () => this.watchdog.reset());
    this.models = new ModelCache(modelSource, emit, this.runs, options.gpuWarmUp);
    this.pools = new PoolCache(modelSource);
    const ownRestorer = (transform: string, name: SnapshotName) => this.ownRestorer(transform, name);
    this.loop = new RunLoop({ runs: this.runs, models: this.models, pools: this.pools, image: this.image, watchdog: this.watchdog, emit, ownRestorer, painter: options.painter ?? localPainter() });
  }

  /** Resolves when every queued operation has finished. */
  idle(): Promise<void> {
    return this.runs.idle();
  }

  /** Whether anything is queued or under way (a run, a grid, a sweep, a strip) or a training goes on between its steps. */
  busy(): boolean {
    return this.runs.pending > 0 || this.training?.status === 'running';
  }

  /** Starts the backend for a choice ('auto': the best this environment has); stops any run. */
  setBackend(choice: BackendChoice): Promise<void> {
    this.runs.current = null;
    this.gridRequest++;
    return this.runs.serial(async () => {
      const order = await this.backends.choose(choice);
      this.dropBackendTensors();
      await this.backends.start(order, null);
    });
  }

  /** The original to restore (already at the working size); stops any run. */
  setImage(pixels: Pixels): Promise<void> {
    this.runs.current = null;
    return this.runs.serial(() => this.image.set(pixels));
  }

  /**
   * Runs the samplers for `settings`, emitting frame 0 (the degraded input) at once and then
   * one frame per step. A newer run, image or backend supersedes it: it then resolves early.
   */
  run(runId: number, settings: RunSettings): Promise<void> {
    this.runs.current = runId;
    this.models.requested(settings);
    return this.runs.serial(() => this.runWithRecovery(runId, settings).finally(() => this.reportMemory())).catch((e: unknown) => {
      if (!(e instanceof Superseded)) throw e;
    });
  }

  /** Starts downloading the model a run with `settings` will need (the page's start: while the backend compiles). */
  prefetchModel(settings: RunSettings): void {
    this.models.prefetch(settings);
  }

  /**
   * The forward process D(x0, t) of the image at `count` steps spread over 0..T, for the strip
   * above the panels. Queued like a run, so it never races a backend switch.
   */
  async forwardStrip(settings: Pick<RunSettings, 'degradation' | 'seed'> & { own?: string }, count = 8): Promise<ForwardStrip | null> {
    // Outside the queue: a slow pool download must not hold up runs.
    const pool = settings.own === undefined ? await this.pools.get(settings.degradation) : null;
    return this.runs.serial(async () => {
      const x0 = this.image.original()?.tensor;
      if (!x0) return null;
      if (settings.own !== undefined) {
        const own = new OwnDegradation(parseTransform(settings.own).transform, settings.seed);
        return { frames: await forwardFrames(own, x0, count), mixedIn: null, warning: await transformWarning(own, x0) };
      }
      const D = createDegradation(settings.degradation, { seed: settings.seed, pool: pool ?? undefined });
      return { frames: await forwardFrames(D, x0, count), mixedIn: pool && mixedIn(pool, settings.seed) };
    });
  }

  /**
   * Generated samples for several seeds in one batch (improved sampling), reported after every
   * step. Each step is queued on its own, so a visitor's run waits for one step at most; it uses
   * the generation model a run has loaded. A newer grid or a backend switch stops it.
   */
  async sampleGrid(request: GridRequest, onState: (state: GridState) => void): Promise<void> {
    const id = ++this.gridRequest;
    const current = () => id === this.gridRequest;
    const g = generatorFor(request.dataset);
    const grid = await this.runs.serial(async () => {
      const loaded = current() ? this.models.loadedModel(g.modelId) : undefined;
      return loaded ? new SampleGrid(request, parseGenerationStart(loaded.manifest.degradation.start), loaded.unet) : null;
    });
    if (!grid) return;
    try {
      while (current()) {
        const state = await this.runs.serial(async () => (current() ? grid.step() : null));
        if (!state) return;
        onState(state);
        if (grid.finished) return;
      }
    } finally {
      this.runs.serial(async () => {
        try {
          grid.dispose();
        } catch {
          // Its backend may be gone (a switch): its memory went with it.
        }
      }).catch(() => undefined);
    }
  }

  /**
   * "How many steps?" for the settings of run `runId` (stepSweep.ts), after that run. Resolves null
   * when stopped: by another run (the settings changed), another sweep, cancelSweep or a backend switch.
   */
  stepSweep(runId: number, settings: RunSettings, onProgress: (progress: SweepProgress) => void): Promise<StepSweep | null> {
    const id = ++this.sweepRequest;
    const wanted = () => id === this.sweepRequest && this.runs.current === runId;
    return runStepSweep(this.runs, this.loop, runId, settings, wanted, onProgress).finally(() => this.reportMemory());
  }

  /** Stops the steps sweep under way, if any, at its next restorer call. */
  cancelSweep(): void {
    this.sweepRequest++;
  }

  /**
   * Trains a restorer for a visitor's transform on the current backend (a new training replaces the
   * last one); resolves when it pauses or ends. Reports come as 'training' events. The network's size
   * follows the backend unless the request names one.
   */
  train(request: Omit<TrainingRequest, 'recipe'> & { recipe?: RecipeName }, pictures: ConstructorParameters<typeof TrainingSession>[1]): Promise<void> {
    this.training?.dispose();
    const transform = encodeTransform(parseTransform(request.transform).transform);
    const recipe = request.recipe ?? recipeFor(tf.getBackend(), this.backends.runningInSoftware()).recipe;
    this.training = new TrainingSession({ ...request, transform, recipe }, pictures, {
      serial: (job) => this.runs.serial(job),
      currentPicture: () => this.image.original()?.tensor ?? null,
      report: (report) => this.options.emit({ type: 'training', report }),
      // Checked like a run's model, but not kept: only its weights are wanted, as data.
      shippedWeights: async (id) => {
        const loaded = await loadModel(this.options.modelSource(id));
        try {
          return { weights: await loaded.unet.weightArrays(), topology: loaded.manifest.modelTopology };
        } finally {
          loaded.unet.dispose();
        }
      },
      recover: async (error) => {
        const fallback = this.backends.fallbackAfter(error);
        if (!fallback) return false;
        await this.runs.serial(async () => {
          this.dropBackendTensors();
          await this.backends.start(fallback.candidates, fallback.reason);
        });
        return true;
      },
    });
    return this.training.start().finally(() => this.reportMemory());
  }

  /** The picture set last, as pixels (a visitor's own picture joins the training pictures). */
  currentPixels(): Pixels | null {
    return this.image.pixels();
  }

  /** Pause, resume or stop the training under way (nothing happens without one). */
  async controlTraining(action: 'pause' | 'resume' | 'stop'): Promise<void> {
    const session = this.training;
    if (!session) return;
    if (action === 'pause') session.pause();
    else if (action === 'stop') await session.stop();
    else await session.start();
  }

  /** The restorer file of the latest snapshot of the training for `transform`: one zip (modelFile.ts). */
  async exportOwnModel(transform: string, about: Record<string, unknown>): Promise<Uint8Array> {
    const session = this.training;
    const key = encodeTransform(parseTransform(transform).transform);
    if (session?.transform === key) {
      const snapshot = session.snapshotWeights('trained');
      if (!snapshot) throw new Error('Training has not taken a snapshot yet: there is nothing to download.');
      return packOwnModel(session.topology, snapshot.weights, key, { ...session.settings, steps: snapshot.steps, seconds: snapshot.seconds, ...about });
    }
    if (this.opened?.transform === key) return packOwnModel(this.opened.topology, this.opened.weights, key, about);
    throw new Error('No restorer is trained for this transform yet: press Train.');
  }

  /** Opens a restorer file: afterwards it is the restorer for its transform (until a training for that transform replaces it). */
  openOwnModel(bytes: Uint8Array, name: string): Promise<OwnModelInfo> {
    return this.runs.serial(async () => {
      const { loaded, info } = await openOwnModel(bytes, name);
      const weights = await loaded.unet.weightArrays();
      this.opened?.unet?.dispose();
      this.opened = { transform: info.transform, topology: loaded.manifest.modelTopology, weights, unet: loaded.unet };
      if (this.training?.transform === info.transform) {
        this.training.dispose();
        this.training = null;
      }
      return info;
    });
  }

  private ownRestorer(transform: string, name: SnapshotName): Restorer | string {
    const session = this.training;
    const key = encodeTransform(parseTransform(transform).transform);
    const opened = this.opened;
    if (opened?.transform === key && (!session || session.transform !== key)) {
      if (name !== 'trained') return 'A restorer file holds one network: its snapshots are not in it.';
      opened.unet ??= new UNet(opened.topology, new Map(opened.weights.map((w) => [w.name, tf.tensor(w.data, w.shape)])));
      const unet = opened.unet;
      return (x, t) => unet.predict(x, t);
    }
    if (!session || session.transform !== key) return 'No restorer is trained for this transform yet: press Train.';
    return (
      session.restorer(name) ??
      (name === 'trained' ? 'Training has not taken its first snapshot yet: it comes a few seconds in.' : `The snapshot at ${SNAPSHOT_SECONDS[name]} s of training is not taken yet.`)
    );
  }

  /** Stops a run at its next step (nothing happens if a newer one already replaced it). */
  cancel(runId: number): void {
    if (this.runs.current === runId) this.runs.current = null;
  }

  /** Frees every tensor the engine holds. */
  dispose(): void {
    this.runs.current = null;
    this.training?.dispose();
    this.models.drop();
    this.image.clear();
  }

  /** For the worker: a backend reported itself lost (WebGL context lost, WebGPU device lost); ignored once another runs. */
  backendLost(name: BackendName, reason: string): void {
    this.watchdog.backendLost(name, reason);
  }

  private reportMemory(): void {
    const { numTensors, numBytes } = tf.memory();
    this.options.emit({ type: 'memory', numTensors, numBytes });
  }

  /** Before a backend switch: drop tensors that live on the old one (recreated lazily). */
  private dropBackendTensors(): void {
    this.training?.dropBackend();
    try {
      this.opened?.unet?.dispose();
    } catch {
      // The old device may be gone already.
    }
    if (this.opened) this.opened.unet = null;
    this.models.drop();
    this.image.dropTensor();
  }

  private async runWithRecovery(runId: number, settings: RunSettings): Promise<void> {
    let painterRetried = false;
    for (;;) {
      try {
        await this.loop.run(runId, settings);
        return;
      } catch (e) {
        // The pictures' worker stopped: the same run again, painted here (the painter falls back by itself).
        if (e instanceof PainterStopped && !painterRetried) {
          painterRetried = true;
          this.runs.check(runId);
          continue;
        }
        const fallback = e instanceof Superseded ? null : this.backends.fallbackAfter(e as Error);
        if (!fallback) throw e;
        // A lost GPU device (driver reset, tab backgrounded on mobile…): carry on elsewhere.
        this.dropBackendTensors();
        await this.backends.start(fallback.candidates, fallback.reason);
        this.runs.check(runId);
      }
    }
  }
}
