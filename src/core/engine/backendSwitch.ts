import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_LABELS, backendOrder, probeBackends, probeWasm, type BackendChoice, type BackendName, type BackendProbe } from '../backend';
import type { BackendNote, EngineEvent } from './events';

const GPU_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl'];

/** What the environment adds to a switch (part of the engine's options). */
export interface BackendHooks {
  emit(event: EngineEvent): void;
  /** Which backends this environment has (the browser's feature detection by default). */
  probe?: () => Promise<BackendProbe[]>;
  /** Flags a backend needs before it starts (set by the worker). */
  prepareBackend?: (name: BackendName) => void | Promise<void>;
  /** Read once the backend has started. */
  describeBackend?: (name: BackendName) => BackendNote | null;
}

/** Which backend runs: the order to try for the visitor's choice, starting one, and where a run goes when a GPU fails. */
export class BackendSwitch {
  private probes: BackendProbe[] = [];
  /** The environment's probes, started once (a WebGL context and a WebGPU adapter: 0.1-0.2 s on a start). */
  private probing: Promise<BackendProbe[]> | null = null;
  private order: BackendName[] = [];
  /** choose() calls so far: a probe that ends after a newer choice does not set the order. */
  private choices = 0;
  /** The backend choose() returned alone, before the probes had finished. */
  private early: BackendName | null = null;

  /** `onStarting`: called as each candidate starts, before tfjs switches to it. */
  constructor(
    private readonly hooks: BackendHooks,
    private readonly onStarting: () => void,
  ) {}

  /** The backends to try for `choice`, best first (the environment is probed once). */
  async choose(choice: BackendChoice): Promise<BackendName[]> {
    const id = ++this.choices;
    // WASM chosen needs no GPU probe to start: the probes run while it compiles (start() waits for them before it reports).
    if (choice === 'wasm' && probeWasm().available) {
      this.early = 'wasm';
      return (this.order = ['wasm']);
    }
    this.early = null;
    const probes = await this.probeOnce();
    if (id === this.choices) this.order = backendOrder(probes, choice);
    return backendOrder(probes, choice);
  }

  /** The environment's probes (once), and the order for the last choice once they are known. */
  private probeOnce(): Promise<BackendProbe[]> {
    this.probing ??= (this.hooks.probe ?? probeBackends)().then((p) => (this.probes = p));
    return this.probing;
  }

  /** Whether the backend running is a software one (a GPU backend on SwiftShader or llvmpipe: no real GPU). */
  runningInSoftware(): boolean {
    return this.probes.find((p) => p.name === tf.getBackend())?.software ?? false;
  }

  /** Starts the first of `candidates` that works and says so; `reasonPrefix`: why the one before stopped. */
  async start(candidates: BackendName[], reasonPrefix: string | null): Promise<void> {
    const failed: string[] = [];
    const queue = [...candidates];
    const tried = new Set<BackendName>();
    for (let name = queue.shift(); name; name = queue.shift()) {
      tried.add(name);
      try {
        await this.hooks.prepareBackend?.(name);
        this.onStarting();
        const starting = tf.setBackend(name);
        // After the preparation (WASM's spin test must not see the probes' work as load), while the backend's code compiles.
        const probing = this.probeOnce();
        if (!(await starting)) throw new Error('initialisation failed');
        await tf.ready();
        tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(1)).dataSync());
        if (this.early === name) this.order = backendOrder(await probing, name);
        const skipped = this.order.slice(0, this.order.indexOf(name));
        const reason = [reasonPrefix, ...failed].filter(Boolean).join(' ') || null;
        const note = this.hooks.describeBackend?.(name) ?? null;
        this.hooks.emit({ type: 'backend', name, probes: this.probes, fallbackFrom: skipped, reason, note });
        return;
      } catch (e) {
        failed.push(`${BACKEND_LABELS[name]} failed (${(e as Error).message}).`);
      }
      // Chosen before the probes had finished (choose()): if it fails, the rest of the full order comes next.
      if (queue.length === 0 && candidates.length === 1 && candidates[0] === this.early) {
        this.early = null;
        this.order = backendOrder(await this.probeOnce(), candidates[0]);
        queue.push(...this.order.filter((n) => !tried.has(n)));
      }
    }
    throw new Error(`No backend could start: ${failed.join(' ')}`);
  }

  /**
   * Where a run that failed with `error` carries on: the backends after the current one, when a
   * GPU backend failed (a lost device: driver reset, tab backgrounded on mobile…) and the model
   * itself is not at fault; null when the failure is the run's to report.
   */
  fallbackAfter(error: Error): { candidates: BackendName[]; reason: string } | null {
    const current = tf.getBackend() as BackendName;
    const candidates = this.order.slice(this.order.indexOf(current) + 1);
    if (!GPU_BACKENDS.includes(current) || candidates.length === 0 || error.name === 'ModelLoadError' || error.name === 'PainterStopped') return null;
    return { candidates, reason: `${BACKEND_LABELS[current]} stopped working (${error.message}).` };
  }
}
