import * as tf from '@tensorflow/tfjs-core';
import { createDegradation, type Degradation } from '../degradations';
import { generatorFor } from '../degradations/catalog';
import { colourFromHex, generationStart, parseGenerationStart } from '../generation';
import { batchedSampler, type BatchedFrame, type Restorer } from '../samplers';
import type { EngineEvent } from './events';
import { frameTensors, RunFrames } from './frames';
import { KINDS, type Kind } from './stepPictures';
import { modelFor, type ModelCache } from './modelCache';
import type { PoolCache } from './poolCache';
import type { RunQueue } from './runQueue';
import type { Original, SourceImage } from './sourceImage';
import type { RunSettings } from './types';
import type { StepWatchdog } from './watchdog';
import { OwnDegradation } from '../own/ownDegradation';
import { parseTransform } from '../own/ownTransform';
import type { SnapshotName } from '../own/trainingSession';
import { yieldToEvents } from './yieldToEvents';
import type { FrameEnvelope, StepPainter } from './stepPainter';

/** Your own transform has no restorer (yet) for the run: the run shows its input and says why. */
export class NoRestorerYet extends Error {
  override name = 'NoRestorerYet';
}

/** What a run uses, shared with the engine that owns it. */
export interface RunParts {
  runs: RunQueue;
  models: ModelCache;
  pools: PoolCache;
  image: SourceImage;
  watchdog: StepWatchdog;
  emit(event: EngineEvent): void;
  /** A restorer trained in the page for a transform (its link value), or why there is none. */
  ownRestorer(transform: string, name: SnapshotName): Restorer | string;
  /** Who turns a step's floats into pictures and figures (stepPainter.ts). */
  painter: StepPainter;
}

export interface RunStart {
  D: Degradation;
  xs: tf.Tensor4D;
  /** null when generating. */
  original: Original | null;
}

/** The samplers for one settings object: the start, the restorer, then one frame per step. */
export class RunLoop {
  constructor(private readonly parts: RunParts) {}

  /** One attempt at a run on the current backend; throws Superseded when a newer request replaces it. */
  async run(runId: number, settings: RunSettings): Promise<void> {
    const { runs, emit } = this.parts;
    runs.check(runId);
    const start = await this.startOf(runId, settings);
    if (!start) return;
    const { D, xs, original } = start;
    let frames: RunFrames | null = null;
    try {
      runs.check(runId);
      // The degraded input first, so the slider answers at once, even while the model downloads.
      frames = new RunFrames(D, original, xs, await xs.data<'float32'>(), this.parts.painter);
      runs.check(runId);
      emit({ type: 'frame', runId, frame: { index: 0, t: settings.t, ...frames.startChains(), direct: null }, msPerStep: null });
      let R: Restorer;
      try {
        R = await this.restorerFor(runId, settings, start);
      } catch (e) {
        if (!(e instanceof NoRestorerYet)) throw e;
        emit({ type: 'runDone', runId, msPerStep: null, missing: e.message });
        return;
      }
      runs.check(runId);
      let networkMs = 0;
      const timedR: Restorer = (x, s) => {
        const t0 = performance.now();
        const y = R(x, s);
        networkMs += performance.now() - t0;
        return y;
      };
      const takeNetworkMs = () => {
        const ms = networkMs;
        networkMs = 0;
        return ms;
      };
      const msPerStep = await this.steps(runId, batchedSampler(D, timedR, xs, settings.t, KINDS, settings.steps), frames, takeNetworkMs);
      // After the frames, by the way they went (the painter's, where it sends them to the page itself).
      this.parts.painter.after({ type: 'runDone', runId, msPerStep }, emit);
    } finally {
      xs.dispose();
      frames?.dispose();
    }
  }

  /**
   * One frame per step after frame 0; returns the last step's time (ms). `networkMs`: the network's time
   * since last asked. Each step's floats go to the painter, which sends its frame (aside, while the next
   * step computes); the run is done when the last frame is out.
   */
  private async steps(runId: number, generator: Generator<BatchedFrame<Kind>, void, undefined>, frames: RunFrames, networkMs: () => number): Promise<number | null> {
    const { runs, emit, watchdog, painter } = this.parts;
    let last = performance.now();
    let msPerStep: number | null = null;
    let handOff = 0;
    let emitted: Promise<void> = Promise.resolve();
    let paintFailure: unknown = null;
    try {
      for (;;) {
        const computing = performance.now();
        const next = generator.next();
        if (next.done) break;
        const f = next.value;
        const computed = performance.now() - computing;
        if (f.index === 0) {
          last = performance.now();
          tf.dispose(frameTensors(f));
          continue;
        }
        const network = networkMs();
        const phases = { paths: 0, readBack: 0 };
        const floats = await frames.read(f, (values) => watchdog.answered(values, f.index, last), phases);
        runs.check(runId);
        const read = performance.now();
        const envelope: FrameEnvelope = {
          runId,
          index: f.index,
          t: f.t,
          msPerStep: read - last,
          profile: { network, operators: Math.max(0, computed - network), ...phases, pixels: 0, handOff, aside: 0 },
        };
        let stepMs = envelope.msPerStep;
        const sent = painter.paint(floats, envelope, (event) => {
          // Painted on this thread, at once: the step's time includes it.
          stepMs = event.msPerStep ?? stepMs;
          if (runs.current === runId) emit(event);
        });
        msPerStep = stepMs;
        // The step ends where its frame is made: handing it on (posting it, or the floats to the painter aside) is the next step's hand-off.
        const now = read + (stepMs - envelope.msPerStep);
        last = now;
        emitted = emitted.then(() => sent.then(() => undefined, (e: unknown) => void (paintFailure ??= e)));
        if (paintFailure) throw paintFailure;
        runs.check(runId);
        // Let a newer request (slider moved, Reset) arrive between steps, and the painted frames out.
        await yieldToEvents();
        handOff = performance.now() - now;
        runs.check(runId);
      }
      await emitted;
      if (paintFailure) throw paintFailure;
      runs.check(runId);
      return msPerStep;
    } finally {
      generator.return(undefined);
    }
  }

  /** Restoring: the image degraded to t. Generating: a flat colour plus noise from the seed. */
  async startOf(runId: number, settings: RunSettings): Promise<RunStart | null> {
    if (settings.mode === 'generate') {
      const g = generatorFor(settings.dataset);
      const loaded = await this.parts.models.ensure(runId, g.modelId, g.degradationId);
      const overrides = { colour: colourFromHex(settings.colour), noiseSigma: settings.sigma };
      const start = generationStart(parseGenerationStart(loaded.manifest.degradation.start), settings.seed, g.size, overrides);
      const xs = tf.tensor4d(start, [1, g.size, g.size, 3]);
      return { D: createDegradation(g.degradationId), xs, original: null };
    }
    if (settings.mode === 'own') {
      const original = this.parts.image.original();
      if (!original) return null;
      const D = new OwnDegradation(parseTransform(settings.own).transform, settings.seed);
      return { D, xs: D.apply(original.tensor, Math.min(settings.t, D.T)), original };
    }
    const loading = this.parts.pools.get(settings.degradation);
    const pool = loading && (await this.parts.runs.whileCurrent(runId, loading));
    const original = this.parts.image.original();
    if (!original) return null;
    const D = createDegradation(settings.degradation, { seed: settings.seed, pool: pool ?? undefined });
    return { D, xs: D.apply(original.tensor, settings.t), original };
  }

  /** R(x_s, s) for the run: the network, or the oracle (the true x0 for every chain). */
  async restorerFor(runId: number, settings: RunSettings, start: RunStart): Promise<Restorer> {
    if (settings.restorer === 'oracle') {
      if (!start.original) throw new Error('The oracle restorer needs an original image: there is none when generating.');
      const x0 = start.original.tensor;
      return (x) => tf.tidy(() => tf.tile(x0, [x.shape[0], 1, 1, 1]));
    }
    if (settings.mode === 'own') {
      const R = this.parts.ownRestorer(settings.own, settings.restorer);
      if (typeof R === 'string') throw new NoRestorerYet(R);
      return R;
    }
    const { modelId, degradation } = modelFor(settings)!;
    const { unet } = await this.parts.models.ensure(runId, modelId, degradation);
    return (x, s) => unet.predict(x, s);
  }
}
