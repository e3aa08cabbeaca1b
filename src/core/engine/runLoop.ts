import * as tf from '@tensorflow/tfjs-core';
import { createDegradation, type Degradation } from '../degradations';
import { generatorFor } from '../degradations/catalog';
import { colourFromHex, generationStart, parseGenerationStart } from '../generation';
import { jointSampler, type Restorer, type SamplerFrame } from '../samplers';
import type { EngineEvent } from './events';
import { frameTensors, KINDS, RunFrames, type Kind } from './frames';
import { modelFor, type ModelCache } from './modelCache';
import type { PoolCache } from './poolCache';
import type { RunQueue } from './runQueue';
import type { Original, SourceImage } from './sourceImage';
import type { RunSettings } from './types';
import type { StepWatchdog } from './watchdog';
import { OwnDegradation } from '../own/ownDegradation';
import { parseTransform } from '../own/ownTransform';
import type { SnapshotName } from '../own/trainingSession';

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
      frames = new RunFrames(D, original, xs, await xs.data<'float32'>());
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
      const msPerStep = await this.steps(runId, jointSampler(D, R, xs, settings.t, KINDS, settings.steps), frames);
      emit({ type: 'runDone', runId, msPerStep });
    } finally {
      xs.dispose();
      frames?.dispose();
    }
  }

  /** One frame per step after frame 0; returns the last step's time (ms). */
  private async steps(runId: number, generator: Generator<SamplerFrame<Kind>, void, undefined>, frames: RunFrames): Promise<number | null> {
    const { runs, emit, watchdog } = this.parts;
    let last = performance.now();
    let msPerStep: number | null = null;
    try {
      for (const f of generator) {
        if (f.index === 0) {
          last = performance.now();
          tf.dispose(frameTensors(f));
          continue;
        }
        const frame = await frames.step(f, (values) => watchdog.answered(values, f.index, last));
        const now = performance.now();
        msPerStep = now - last;
        last = now;
        runs.check(runId);
        emit({ type: 'frame', runId, frame: { index: f.index, t: f.t, ...frame }, msPerStep });
        // Let a newer request (slider moved, Reset) arrive between steps.
        await new Promise((resolve) => setTimeout(resolve, 0));
        runs.check(runId);
      }
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
