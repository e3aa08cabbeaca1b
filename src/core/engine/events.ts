import type { BackendName, BackendProbe } from '../backend';
import type { TrainingReport } from '../own/trainingSession';
import type { FramePixels } from './types';

/** What the engine reports while it works; errors come back as rejected promises instead. */
export type EngineEvent =
  | { type: 'backend'; name: BackendName; probes: BackendProbe[]; fallbackFrom: BackendName[]; reason: string | null; note: BackendNote | null }
  | { type: 'modelProgress'; fraction: number; loadedBytes: number; totalBytes: number }
  /** A GPU backend builds the model's programs before its first step (gpuWarmUp.ts). */
  | { type: 'modelWarming' }
  /** warmUpMs: how long building its GPU programs took; null where there was nothing to build. */
  | { type: 'modelReady'; parameters: number; bytes: number; degradation: string; warmUpMs: number | null }
  /** profile: where the step's time went (null for frame 0). */
  | { type: 'frame'; runId: number; frame: FramePixels; msPerStep: number | null; profile?: StepProfile | null }
  /** missing: why the run stopped at its input (your own transform has no restorer yet). */
  | { type: 'runDone'; runId: number; msPerStep: number | null; missing?: string }
  | { type: 'training'; report: TrainingReport }
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

/**
 * Where one sampler step's milliseconds went, in the order they run. On WASM and the CPU backend the
 * network and the operators compute as they are called, so these are compute times; on WebGL and
 * WebGPU they are the time to queue the work, which the read-back then waits for.
 */
export interface StepProfile {
  /** R(x_s, s): one batch-2 forward of the network. */
  network: number;
  /** The rest of the samplers' step: D(x̂0, s), D(x̂0, s−1), the updates, concat / split. */
  operators: number;
  /** The true path D(x0, s−1) and direct's path, for the charts. */
  paths: number;
  /** Waiting for and copying the step's tensors out of the backend. */
  readBack: number;
  /** Pixels, residuals and metrics in JavaScript, on the step's path (0 where a second worker paints: handing the floats over is the next step's hand-off). */
  pixels: number;
  /** Pixels, residuals and metrics in the second worker, while the next step runs: off the step's path (0 where painted on the worker's thread). */
  aside: number;
  /** Handing the previous frame to the page and letting a newer request in (before this step). */
  handOff: number;
}
