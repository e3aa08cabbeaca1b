import { generatorFor, GENERATORS } from '../degradations/catalog';
import { WORKING_SIZE } from '../image';
import { backendCompiles, warmUpGpu } from '../model/gpuWarmUp';
import { loadModel, ModelLoadError, type FileSource, type LoadedModel, type LoadProgress } from '../model/loader';
import { prefetchModelFiles, type PrefetchedSource } from '../model/prefetch';
import type { EngineEvent } from './events';
import type { RunQueue } from './runQueue';
import { isCheckpoint, type RunSettings } from './types';

/** Models kept loaded at once (a few MB each). */
const MODELS_KEPT = 3;

/** The model a run needs (null: none, the oracle); an earlier checkpoint lives in models/<id>-<name>/. */
export function modelFor(settings: RunSettings | null): { modelId: string; degradation: string } | null {
  if (!settings) return null;
  if (settings.mode === 'generate') {
    const g = generatorFor(settings.dataset);
    return { modelId: g.modelId, degradation: g.degradationId };
  }
  // Your own transform's restorers are trained in the page, never downloaded.
  if (settings.restorer === 'oracle' || settings.mode === 'own') return null;
  const modelId = isCheckpoint(settings.restorer) ? `${settings.degradation}-${settings.restorer}` : settings.degradation;
  return { modelId, degradation: settings.degradation };
}

interface Download {
  promise: Promise<LoadedModel>;
  controller: AbortController;
  /** Runs waiting for it: one that none waits for and the latest request does not need is cancelled. */
  waiting: number;
}

/** The models on the current backend, and their downloads. */
export class ModelCache {
  /** Loaded models by id, least recently used first (a few, so switching back is instant). */
  private models = new Map<string, LoadedModel>();
  /** Downloads under way, outside the queue: a slow one never blocks a newer request. */
  private loads = new Map<string, Download>();
  /** The model the current run waits for or uses: the one whose progress is reported, never evicted. */
  private wantedModel: string | null = null;
  /** The settings of the newest run asked for. */
  private latest: RunSettings | null = null;
  /** Files read ahead for a model no run has asked for yet (prefetch). */
  private ahead: { modelId: string; source: PrefetchedSource } | null = null;

  constructor(
    private readonly source: (modelId: string) => FileSource,
    private readonly emit: (event: EngineEvent) => void,
    private readonly runs: RunQueue,
    /** Whether a GPU backend builds a model's programs as it arrives (gpuWarmUp.ts); benchmarks compare without. */
    private readonly warmUp: () => boolean = () => true,
  ) {}

  /**
   * The model in models/<modelId>/ (trained for `degradation`), for run `runId`: cached, or
   * downloaded outside the queue. A superseded run stops waiting at once; a download no run
   * waits for any more is cancelled.
   */
  async ensure(runId: number, modelId: string, degradation: string): Promise<LoadedModel> {
    this.wantedModel = modelId;
    const cached = this.models.get(modelId);
    if (cached) {
      this.models.delete(modelId);
      this.models.set(modelId, cached);
      this.emitReady(cached, degradation);
      return cached;
    }
    const load = this.loads.get(modelId) ?? this.download(modelId, degradation);
    load.waiting++;
    try {
      const loaded = await this.runs.whileCurrent(runId, load.promise);
      this.emitReady(loaded, degradation);
      return loaded;
    } finally {
      load.waiting--;
      this.cancelUnneeded();
    }
  }

  /** A model already on the backend, if it is (nothing is downloaded). */
  loadedModel(modelId: string): LoadedModel | undefined {
    return this.models.get(modelId);
  }

  /** A new run was asked for: downloads it does not need are cancelled unless a run still waits for them. */
  requested(settings: RunSettings): void {
    this.latest = settings;
    this.cancelUnneeded();
  }

  /**
   * Starts reading the files of the model that `settings` will need, before its run can start (the
   * page sends this as it starts, while the backend compiles): only bytes, no tensors, so no backend
   * is needed; the run's load then takes them and checks them as usual.
   */
  prefetch(settings: RunSettings): void {
    const model = modelFor(settings);
    if (!model || this.models.has(model.modelId) || this.loads.has(model.modelId) || this.ahead?.modelId === model.modelId) return;
    this.ahead?.source.abort();
    this.ahead = { modelId: model.modelId, source: prefetchModelFiles(this.source(model.modelId)) };
  }

  /** Before a backend switch: every model lives on the old one (loaded again when next needed). */
  drop(): void {
    for (const load of this.loads.values()) load.controller.abort();
    this.loads.clear();
    try {
      for (const m of this.models.values()) m.unet.dispose();
    } catch {
      // The old device may be gone already; its memory went with it.
    }
    this.models.clear();
  }

  /** Cancels downloads that no run waits for and the latest request does not need (moving t mid-download keeps it). */
  private cancelUnneeded(): void {
    const needed = modelFor(this.latest)?.modelId;
    if (this.ahead && this.ahead.modelId !== needed) {
      this.ahead.source.abort();
      this.ahead = null;
    }
    for (const [id, load] of this.loads) {
      if (load.waiting > 0 || id === needed) continue;
      load.controller.abort();
      this.loads.delete(id);
    }
  }

  private download(modelId: string, degradation: string): Download {
    const controller = new AbortController();
    const progress = (p: LoadProgress) => {
      if (this.wantedModel === modelId) this.emit({ type: 'modelProgress', fraction: p.fraction, loadedBytes: p.loadedBytes, totalBytes: p.totalBytes });
    };
    const ahead = this.ahead?.modelId === modelId ? this.ahead.source : null;
    if (ahead) this.ahead = null;
    const promise = loadModel(ahead ?? this.source(modelId), progress, controller.signal).then(async (loaded) => {
      if (loaded.manifest.degradation.id !== degradation) {
        loaded.unet.dispose();
        throw new ModelLoadError(`models/${modelId}/ holds a model trained for "${loaded.manifest.degradation.id}"`, 'mismatch');
      }
      if (this.warmUp() && backendCompiles()) {
        // The runs' input: naive and improved as one batch, at the model's picture size.
        const size = Object.values(GENERATORS).find((g) => g.modelId === modelId)?.size ?? WORKING_SIZE;
        if (this.wantedModel === modelId) this.emit({ type: 'modelWarming' });
        // A failure here shows again at the first step, where a run hands over to the next backend.
        loaded.warmUpMs = await warmUpGpu(loaded.unet, [2, size, size, 3]).catch(() => null);
      }
      this.models.set(modelId, loaded);
      this.evict();
      return loaded;
    });
    const entry: Download = { promise, controller, waiting: 0 };
    this.loads.set(modelId, entry);
    // Settled either way: nobody may be waiting any more, and a failed load is retried afresh.
    const forget = () => this.loads.get(modelId) === entry && this.loads.delete(modelId);
    promise.then(forget, forget);
    return entry;
  }

  private emitReady(model: LoadedModel, degradation: string): void {
    this.emit({ type: 'modelReady', parameters: model.unet.parameterCount, bytes: model.bytes, degradation, warmUpMs: model.warmUpMs ?? null });
  }

  /** Keeps the few most recently used models; the one in use stays. */
  private evict(): void {
    for (const [id, m] of this.models) {
      if (this.models.size <= MODELS_KEPT) break;
      if (id === this.wantedModel) continue;
      m.unet.dispose();
      this.models.delete(id);
    }
  }
}
