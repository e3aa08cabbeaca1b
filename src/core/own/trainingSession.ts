import * as tf from '@tensorflow/tfjs-core';
import type { Pixels } from '../engine/types';
import { floatToRgba, rgbaToTensor } from '../image';
import { psnr } from '../metrics';
import type { UNetTopology } from '../model/manifest';
import { UNet } from '../model/unet';
import { directSampler, runToEnd, type Restorer } from '../samplers';
import { OwnDegradation } from './ownDegradation';
import { parseTransform } from './ownTransform';
import { OwnTrainer, TRAINING_RECIPES, topologyOf, type TrainingLoss, type WeightArray } from './trainer';
import { yieldToEvents } from '../engine/yieldToEvents';
import { HELD_OUT_SAMPLES, type TrainingBudget, type WarmStart } from './trainingSettings';
export { HELD_OUT_SAMPLES, isTrainingBudget, isWarmStart, TRAINING_BUDGETS, WARM_STARTS, type TrainingBudget, type WarmStart } from './trainingSettings';


export type RecipeName = keyof typeof TRAINING_RECIPES;

export const WARM_START_MIN_GAIN_DB = 0.5;
/** The t a shipped restorer is told in the check, as fractions of T / 2: one network call each. */
const WARM_START_TOLD = [1, 0.6, 0.7, 0.8, 0.9, 1.1, 1.25];

/**
 * The restorers a training leaves: the snapshots at 10 s and 1 min of training (so a class can see
 * naive collapse with the 10-second network while improved already restores) and the latest one.
 * Their names are the restorer choices of the shipped models' checkpoints, so every view that
 * offers those offers these.
 */
export const SNAPSHOT_SECONDS = { early: 10, mid: 60 } as const;
export type SnapshotName = keyof typeof SNAPSHOT_SECONDS | 'trained';


/** Seconds of training between held-out evaluations: at least this, and at least 3× what the last one took. */
const EVALUATION_EVERY_S = 5;
const EVALUATION_SHARE = 3;
/** Reports at most this often (loss points are kept and sent together). */
const REPORT_EVERY_MS = 250;
/** The degradation's seed for the held-out evaluation: fixed, so evaluations compare. */
const EVALUATION_SEED = 1;

export type TrainingStatus = 'running' | 'paused' | 'done' | 'stopped' | 'diverged' | 'failed';

/** The held-out PSNR (dB, mean over the pictures) at t of the input and of each sampler, and the three restorations of the current picture. */
export interface TrainingEvaluation {
  steps: number;
  seconds: number;
  t: number;
  input: number;
  direct: number;
  naive: number;
  improved: number;
  /** The current picture at t and its restorations; null when no picture is set. */
  preview: { input: Pixels; direct: Pixels; naive: Pixels; improved: Pixels } | null;
}

export interface SnapshotInfo {
  name: SnapshotName;
  steps: number;
  seconds: number;
}

/** What the page hears while a restorer trains (losses and evaluations: the new ones since the last report). */
export interface TrainingReport {
  trainingId: number;
  transform: string;
  status: TrainingStatus;
  recipe: RecipeName;
  parameters: number;
  steps: number;
  loss: TrainingLoss;
  /** Seconds spent training (evaluations and pauses left out): what the budget and the snapshot times count. */
  seconds: number;
  stepsPerSecond: number;
  imagesPerSecond: number;
  losses: [number, number][];
  evaluation: TrainingEvaluation | null;
  snapshots: SnapshotInfo[];
  /** Why training ended, or what happened to it (a backend change); null when nothing needs saying. */
  message: string | null;
}

export interface TrainingRequest {
  trainingId: number;
  /** The transform's link value (ownTransform.ts). */
  transform: string;
  recipe: RecipeName;
  budget: TrainingBudget;
  loss: TrainingLoss;
  /** Absent: 'none'. */
  warm?: WarmStart;
}

/** What a training session needs from the engine that owns it. */
export interface TrainingHooks {
  /** The engine's queue: a step never interleaves with a run's step or a backend switch. */
  serial<T>(job: () => Promise<T>): Promise<T>;
  /** The picture on screen, for the preview (null: none). */
  currentPicture(): tf.Tensor4D | null;
  report(report: TrainingReport): void;
  /** A step failed: true when the engine moved to another backend, so training may go on from the last snapshot there. */
  recover(error: Error): Promise<boolean>;
  /** Milliseconds; performance.now() by default. */
  now?(): number;
  /** A shipped restorer's weights and topology, for a warm start (absent: none can be had). */
  shippedWeights?(id: Exclude<WarmStart, 'none'>): Promise<{ weights: WeightArray[]; topology: UNetTopology }>;
}

interface Snapshot extends SnapshotInfo {
  weights: WeightArray[];
  /** Built on the current backend when a run first asks for it. */
  unet: UNet | null;
}

/** Which network size a backend gets, and why (the builder shows it). */
export function recipeFor(backend: string, software = false): { recipe: RecipeName; reason: string } {
  if ((backend === 'webgpu' || backend === 'webgl') && software) return { recipe: 'small', reason: 'this GPU backend runs on a software adapter (no real GPU), as slow as the CPU' };
  if (backend === 'webgpu' || backend === 'webgl') return { recipe: 'large', reason: 'a GPU backend trains a larger network at a useful speed' };
  if (backend === 'wasm') return { recipe: 'small', reason: 'WASM runs on the CPU, so the network is kept small to take several steps a second' };
  return { recipe: 'tiny', reason: 'plain JavaScript is the slowest backend, so the network is the smallest' };
}

/**
 * One training of a restorer for a visitor's transform: steps queued one at a time on the engine's
 * queue (so the samplers can run on a snapshot meanwhile), held-out evaluations, snapshots, a budget,
 * pause / resume / stop, a stop with the last good snapshot when the loss turns NaN, and a restart
 * from the last snapshot on the next backend when a GPU is lost.
 */
export class TrainingSession {
  readonly transform: string;
  private readonly degradation: OwnDegradation;
  private trainer: OwnTrainer | null = null;
  private pictureTensors: tf.Tensor3D[] = [];
  private state: TrainingStatus = 'running';
  private seconds = 0;
  private sinceEvaluation = 0;
  private evaluationEvery = EVALUATION_EVERY_S;
  private losses: [number, number][] = [];
  private newEvaluation: TrainingEvaluation | null = null;
  private message: string | null = null;
  private readonly snapshots = new Map<SnapshotName, Snapshot>();
  private lastReport = -Infinity;
  private rate = { steps: 0, seconds: 0 };
  private loop: Promise<void> | null = null;
  private readonly now: () => number;
  /** The network trained: the backend's, or 'shipped' once a warm start is kept. */
  private recipe: RecipeName;
  /** Where step 0 starts when a warm start is kept; undefined: a new network (or not decided yet). */
  private warmFrom: { weights: WeightArray[]; steps: number } | undefined;
  private warmDecided: boolean;
  /** A kept warm start, for the restorer file (its weights are dropped once training has its own snapshot). */
  private warmStarted = false;
  /** Backend changes so far: a warm start's download or measurement cut by one is tried again. */
  private backendChanges = 0;

  constructor(
    private readonly request: TrainingRequest,
    /** Training pictures (128×128 or larger) and held-out ones (the same size as each other), as pixels: kept across backends. */
    private readonly pictures: { train: readonly Pixels[]; heldOut: readonly Pixels[] },
    private readonly hooks: TrainingHooks,
  ) {
    const parsed = parseTransform(request.transform);
    this.transform = request.transform;
    this.degradation = new OwnDegradation(parsed.transform, EVALUATION_SEED);
    this.now = hooks.now ?? (() => performance.now());
    this.recipe = request.recipe;
    this.warmDecided = (request.warm ?? 'none') === 'none';
    if (pictures.train.length === 0) throw new Error('training needs at least one picture');
  }

  get topology(): UNetTopology {
    return topologyOf(TRAINING_RECIPES[this.recipe], this.degradation.T);
  }

  /** How it trains, for a restorer file: the recipe and its values, and the budget. */
  get settings(): Record<string, unknown> {
    return { recipe: this.recipe, ...TRAINING_RECIPES[this.recipe], warmStart: this.warmStarted ? this.request.warm : 'none', budgetSeconds: this.request.budget, heldOut: [...HELD_OUT_SAMPLES], loss: this.request.loss, optimizer: 'Adam' };
  }

  get status(): TrainingStatus {
    return this.state;
  }

  get steps(): number {
    return this.trainer?.steps ?? this.snapshots.get('trained')?.steps ?? 0;
  }

  /** Starts (or resumes) the loop; resolves when it pauses or ends. */
  start(): Promise<void> {
    if (this.loop) return this.loop;
    if (this.state === 'paused') this.state = 'running';
    if (this.state !== 'running') return Promise.resolve();
    this.loop = this.run().finally(() => {
      this.loop = null;
    });
    return this.loop;
  }

  pause(): void {
    if (this.state === 'running') this.state = 'paused';
  }

  /** Ends training; the last snapshot is taken by the loop (or here, when paused). */
  async stop(): Promise<void> {
    if (this.state !== 'running' && this.state !== 'paused') return;
    const wasPaused = this.state === 'paused' && !this.loop;
    this.state = 'stopped';
    if (wasPaused) await this.finish();
    else await this.loop;
  }

  /** A restorer for runs: the snapshot's network on the current backend, or null when there is none yet. */
  restorer(name: SnapshotName): Restorer | null {
    if (!this.snapshots.has(name)) return null;
    // Looked up at each call: a newer snapshot (which frees the older one's tensors) may arrive between the
    // calls of a steps sweep, whose calls are queued one by one between training steps.
    return (x, t) => this.network(this.snapshots.get(name)!).predict(x, t);
  }

  private network(snapshot: Snapshot): UNet {
    // Kept: the first call may come inside a sampler's tf.tidy, which would otherwise free the weights after it.
    snapshot.unet ??= new UNet(this.topology, new Map(snapshot.weights.map((w) => [w.name, tf.keep(tf.tensor(w.data, w.shape))])));
    return snapshot.unet;
  }

  /** The weights of a snapshot as plain data (to download). */
  snapshotWeights(name: SnapshotName): (SnapshotInfo & { weights: WeightArray[] }) | null {
    const s = this.snapshots.get(name);
    return s ? { name: s.name, steps: s.steps, seconds: s.seconds, weights: s.weights } : null;
  }

  /** Before a backend switch: every tensor lives on the old backend; training goes on from the last snapshot. */
  dropBackend(): void {
    this.backendChanges++;
    const hadTrainer = this.trainer !== null;
    this.disposeTensors();
    if (hadTrainer && (this.state === 'running' || this.state === 'paused')) {
      const from = this.snapshots.get('trained');
      this.message = from ? `The backend changed: training goes on from the snapshot at step ${from.steps}.` : 'The backend changed: training starts again.';
    }
  }

  dispose(): void {
    if (this.state === 'running' || this.state === 'paused') this.state = 'stopped';
    this.disposeTensors();
  }

  private disposeTensors(): void {
    try {
      this.trainer?.dispose();
      tf.dispose(this.pictureTensors);
      for (const s of this.snapshots.values()) s.unet?.dispose();
    } catch {
      // The old device may be gone already; its memory went with it.
    }
    this.trainer = null;
    this.pictureTensors = [];
    for (const s of this.snapshots.values()) s.unet = null;
  }

  private ensureTrainer(): OwnTrainer {
    if (this.trainer) return this.trainer;
    this.pictureTensors = this.pictures.train.map((p) => tf.tidy(() => tf.squeeze(rgbaToTensor(p.rgba, p.width, p.height), [0]) as tf.Tensor3D));
    const from = this.snapshots.get('trained') ?? this.warmFrom;
    this.trainer = new OwnTrainer(this.degradation.transform, this.pictureTensors, TRAINING_RECIPES[this.recipe], from && { weights: from.weights, steps: from.steps }, this.request.loss);
    return this.trainer;
  }

  private async run(): Promise<void> {
    const { budget } = this.request;
    try {
      while (this.state === 'running') {
        if (budget > 0 && this.seconds >= budget) {
          this.state = 'done';
          break;
        }
        // Every piece of tensor work of an iteration in one try: a GPU that fails in a step, a snapshot or an
        // evaluation hands training to the next backend alike.
        try {
          // Where it starts (the network is the identity at step 0): the charts' first point, and a restorer at once.
          if (!this.snapshots.has('trained')) {
            if (!this.warmDecided) {
              await this.decideWarmStart();
              // Stopped, paused or cut by a backend change meanwhile: nothing is built for it.
              continue;
            }
            await this.hooks.serial(async () => void this.ensureTrainer());
            // Running, with its size, before the first evaluation: on a slow backend that takes a minute or more
            // (SwiftShader's WebGPU: about 100 s), and Pause and Stop show from here.
            this.report();
            await this.evaluate();
            // From here on, a backend change goes on from the snapshot.
            if (this.snapshots.has('trained')) this.warmFrom = undefined;
            this.report();
            continue;
          }
          const started = this.now();
          const loss = await this.hooks.serial(() => this.ensureTrainer().stepAsync());
          const took = (this.now() - started) / 1000;
          this.seconds += took;
          this.sinceEvaluation += took;
          this.rate = { steps: this.rate.steps + 1, seconds: this.rate.seconds + took };
          if (!Number.isFinite(loss)) {
            this.state = 'diverged';
            const kept = this.snapshots.get('trained');
            this.message = `Training diverged at step ${this.steps} (the loss became ${loss}), so it stopped; ${kept ? `the last good snapshot (step ${kept.steps}) is kept` : 'no snapshot was taken before it'}.`;
            break;
          }
          this.losses.push([this.steps, loss]);
          for (const [name, at] of Object.entries(SNAPSHOT_SECONDS) as [SnapshotName, number][]) {
            if (this.seconds >= at && !this.snapshots.has(name)) await this.takeSnapshot(name);
          }
          if (this.sinceEvaluation >= this.evaluationEvery) await this.evaluate();
        } catch (e) {
          if (this.state !== 'running') break;
          this.disposeTensors();
          if (await this.hooks.recover(e as Error)) {
            const from = this.snapshots.get('trained');
            this.message = `${(e as Error).message}: training goes on ${from ? `from the snapshot at step ${from.steps}` : 'from the start'} on the next backend.`;
            continue;
          }
          this.state = 'failed';
          this.message = `Training stopped: ${(e as Error).message}`;
          break;
        }
        if (this.now() - this.lastReport >= REPORT_EVERY_MS) this.report();
        // Let requests (a run, pause, stop) in between steps.
        await yieldToEvents();
      }
      if (this.state !== 'paused' && this.state !== 'diverged' && this.state !== 'failed') await this.finish();
    } finally {
      this.report();
    }
  }

  /**
   * Before the first step of a warm start: the shipped restorer is kept when its one call beats the input on
   * the held-out pictures at T / 2 by WARM_START_MIN_GAIN_DB (told that t or a neighbour: WARM_START_TOLD);
   * otherwise, or when it cannot be had, a new network trains. Either way the status line says which and the
   * figures. Interrupted by a pause, it decides again on resume; by a backend change, it tries again.
   */
  private async decideWarmStart(): Promise<void> {
    this.warmDecided = true;
    const id = this.request.warm;
    if (!id || id === 'none') return;
    const name = `the shipped ${id} restorer`;
    const Name = `${name[0]!.toUpperCase()}${name.slice(1)}`;
    const epoch = this.backendChanges;
    try {
      if (!this.hooks.shippedWeights) throw new Error('none can be loaded here');
      // Plain JavaScript trains the tiny network at a few steps a second; the shipped one would take many seconds each.
      if (this.request.recipe === 'tiny') throw new Error('its network is too large for plain JavaScript');
      this.message = `Loading ${name} and measuring it on the held-out pictures…`;
      this.report();
      const shipped = await this.hooks.shippedWeights(id);
      if (this.state !== 'running') {
        this.warmDecided = false;
        return;
      }
      const wanted = topologyOf(TRAINING_RECIPES.shipped, this.degradation.T);
      const same = (['channels', 'embedDim', 'timeDim', 'spaceToDepth'] as const).every((k) => JSON.stringify(shipped.topology[k] ?? 1) === JSON.stringify(wanted[k]));
      if (!same) throw new Error(`its network (${shipped.topology.channels.join('-')} channels) is not the ${wanted.channels.join('-')} one a warm start trains`);
      const fit = await this.oneCallFit(wanted, shipped.weights);
      if (!fit) {
        this.warmDecided = false;
        return;
      }
      const kept = fit.direct >= fit.input + WARM_START_MIN_GAIN_DB;
      const told = fit.told === fit.t ? '' : ` if told t = ${fit.told} (told ${fit.t}: ${fit.atT.toFixed(1)} dB${kept ? '; training adapts it within steps' : ''})`;
      const figures = `its one call at t = ${fit.t} gives ${fit.direct.toFixed(1)} dB on the held-out pictures${told}, the input ${fit.input.toFixed(1)} dB`;
      if (kept) {
        this.recipe = 'shipped';
        this.warmFrom = { weights: shipped.weights, steps: 0 };
        this.warmStarted = true;
        this.message = `Starts from ${name}: ${figures}.`;
      } else {
        this.message = `${Name} does not fit this transform (${figures}), so a new network trains.`;
      }
    } catch (e) {
      if (this.state === 'stopped') return;
      if (this.backendChanges !== epoch && this.backendChanges < 3) {
        this.warmDecided = false;
        return;
      }
      this.message = `${Name} could not be used (${(e as Error).message}), so a new network trains.`;
    }
  }

  /**
   * The held-out PSNR at T / 2 of the input and of one call of a network (its weights freed after), at its best
   * over the t it is told (WARM_START_TOLD): a shipped restorer's t means its own strength, which a fine-tuning
   * remaps within steps. Measured: an isotropic blur of σ 5 at t = 10 gives 24.4 dB told t = 10 (the input
   * 24.8) and 27.9 told t = 8, and 15 steps from it gave 28.0 at t = 10 (docs/own-transform.md). Each call is
   * its own job on the engine's queue, so a run waits one call at most; null when training stopped or paused.
   */
  private async oneCallFit(topology: UNetTopology, weights: readonly WeightArray[]): Promise<{ t: number; told: number; atT: number; input: number; direct: number } | null> {
    const heldOut = this.pictures.heldOut;
    if (heldOut.length === 0) throw new Error('there are no held-out pictures to measure it on');
    const t = Math.max(1, Math.floor(this.degradation.T / 2));
    const tolds = [...new Set(WARM_START_TOLD.map((r) => Math.min(this.degradation.T, Math.max(1, Math.round(r * t)))))];
    const held: tf.Tensor[] = [];
    let unet: UNet | null = null;
    try {
      const { xs, mean, input } = await this.hooks.serial(async () => {
        unet = new UNet(topology, new Map(weights.map((w) => [w.name, tf.tensor(w.data, w.shape)])));
        const x0 = tf.tidy(() => tf.concat(heldOut.map((p) => rgbaToTensor(p.rgba, p.width, p.height))) as tf.Tensor4D);
        held.push(x0);
        const degraded = this.degradation.apply(x0, t);
        held.push(degraded);
        const [height, width] = [x0.shape[1], x0.shape[2]];
        const size = height * width * 3;
        const truth = (await x0.data()) as Float32Array;
        const meanPsnr = (data: Float32Array) => heldOut.reduce((sum, _, i) => sum + psnr({ data: data.subarray(i * size, (i + 1) * size), width, height }, { data: truth.subarray(i * size, (i + 1) * size), width, height }), 0) / heldOut.length;
        return { xs: degraded, mean: meanPsnr, input: meanPsnr((await degraded.data()) as Float32Array) };
      });
      const direct = new Map<number, number>();
      for (const told of tolds) {
        if (this.state !== 'running') return null;
        const net = unet!;
        direct.set(
          told,
          await this.hooks.serial(async () => {
            const out = net.predict(xs, told);
            try {
              return mean((await out.data()) as Float32Array);
            } finally {
              out.dispose();
            }
          }),
        );
      }
      // Another t only where it is clearly better than the t it will be asked at.
      const atT = direct.get(t)!;
      let best = { told: t, direct: atT };
      for (const [told, value] of direct) if (value > best.direct + 0.05) best = { told, direct: value };
      return { t, atT, input, ...best };
    } finally {
      tf.dispose(held);
      (unet as UNet | null)?.dispose();
    }
  }

  /** The end of a training: the last snapshot, evaluated. */
  private async finish(): Promise<void> {
    if (!this.trainer || this.trainer.steps <= (this.snapshots.get('trained')?.steps ?? -1)) return;
    try {
      await this.evaluate();
    } catch (e) {
      this.message = `The last snapshot could not be taken (${(e as Error).message}); the one before it is kept.`;
    }
  }

  private async takeSnapshot(name: SnapshotName): Promise<Snapshot | null> {
    const trainer = this.trainer;
    if (!trainer) return null;
    const weights = await this.hooks.serial(() => trainer.exportWeights());
    this.snapshots.get(name)?.unet?.dispose();
    const snapshot: Snapshot = { name, steps: trainer.steps, seconds: this.seconds, weights, unet: null };
    this.snapshots.set(name, snapshot);
    return snapshot;
  }

  /** The latest snapshot becomes the 'trained' restorer, measured on the held-out pictures at T / 2. */
  private async evaluate(): Promise<void> {
    const started = this.now();
    const snapshot = await this.takeSnapshot('trained');
    if (!snapshot) return;
    const evaluation = await this.hooks.serial(() => this.measure(snapshot));
    this.newEvaluation = evaluation;
    this.sinceEvaluation = 0;
    this.evaluationEvery = Math.max(EVALUATION_EVERY_S, (EVALUATION_SHARE * (this.now() - started)) / 1000);
  }

  private async measure(snapshot: Snapshot): Promise<TrainingEvaluation> {
    const t = Math.max(1, Math.floor(this.degradation.T / 2));
    const R = this.restorer('trained')!;
    const current = this.hooks.currentPicture();
    const heldOut = this.pictures.heldOut;
    const x0 = tf.tidy(() => tf.concat([...heldOut.map((p) => rgbaToTensor(p.rgba, p.width, p.height)), ...(current ? [current] : [])]) as tf.Tensor4D);
    const xs = this.degradation.apply(x0, t);
    const outputs = { input: xs, direct: directSampler(R, xs, t), naive: runToEnd(this.degradation, R, xs, t, 'naive'), improved: runToEnd(this.degradation, R, xs, t, 'improved') };
    try {
      const [height, width] = [x0.shape[1], x0.shape[2]];
      const size = height * width * 3;
      const truth = (await x0.data()) as Float32Array;
      const values = Object.fromEntries(await Promise.all(Object.entries(outputs).map(async ([k, v]) => [k, (await v.data()) as Float32Array]))) as Record<keyof typeof outputs, Float32Array>;
      const image = (data: Float32Array, i: number) => ({ data: data.subarray(i * size, (i + 1) * size), width, height });
      const mean = (k: keyof typeof outputs) => heldOut.reduce((sum, _, i) => sum + psnr(image(values[k], i), image(truth, i)), 0) / Math.max(1, heldOut.length);
      const pixels = (k: keyof typeof outputs): Pixels => ({ width, height, rgba: floatToRgba(image(values[k], heldOut.length).data, width * height) });
      return {
        steps: snapshot.steps,
        seconds: snapshot.seconds,
        t,
        input: mean('input'),
        direct: mean('direct'),
        naive: mean('naive'),
        improved: mean('improved'),
        preview: current ? { input: pixels('input'), direct: pixels('direct'), naive: pixels('naive'), improved: pixels('improved') } : null,
      };
    } finally {
      tf.dispose([x0, ...Object.values(outputs)]);
    }
  }

  private report(): void {
    this.lastReport = this.now();
    const { steps, seconds } = this.rate;
    const stepsPerSecond = seconds > 0 ? steps / seconds : 0;
    this.hooks.report({
      trainingId: this.request.trainingId,
      transform: this.transform,
      status: this.state,
      recipe: this.recipe,
      loss: this.request.loss,
      parameters: this.trainer?.parameterCount ?? 0,
      steps: this.steps,
      seconds: this.seconds,
      stepsPerSecond,
      imagesPerSecond: stepsPerSecond * TRAINING_RECIPES[this.recipe].batch,
      losses: this.losses,
      evaluation: this.newEvaluation,
      snapshots: [...this.snapshots.values()].map(({ name, steps: s, seconds: at }) => ({ name, steps: s, seconds: at })),
      message: this.message,
    });
    this.losses = [];
    this.newEvaluation = null;
    this.message = null;
    // The rate over the last few seconds, not since the start: a backend change shows at once.
    if (this.rate.seconds > 3) this.rate = { steps: 0, seconds: 0 };
  }
}
