import type { BackendName, BackendProbe } from '../backend';
import type { TrainingReport } from '../own/trainingSession';
import type { FramePixels } from './types';

/** What the engine reports while it works; errors come back as rejected promises instead. */
export type EngineEvent =
  | { type: 'backend'; name: BackendName; probes: BackendProbe[]; fallbackFrom: BackendName[]; reason: string | null; note: BackendNote | null }
  | { type: 'modelProgress'; fraction: number; loadedBytes: number; totalBytes: number }
  | { type: 'modelReady'; parameters: number; bytes: number; degradation: string }
  | { type: 'frame'; runId: number; frame: FramePixels; msPerStep: number | null }
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
