import type { BackendChoice } from '../core/backend';
import type { TrainingBudget, WarmStart } from '../core/own/trainingSession';
import type { TrainingLoss } from '../core/own/trainer';
import type { OwnModelInfo } from '../core/own/modelFile';
import type { EngineEvent } from '../core/engine/engine';
import type { GridRequest, GridState } from '../core/engine/sampleGrid';
import type { StepSweep, SweepProgress } from '../core/engine/stepSweep';
import type { ForwardStrip, Pixels, RunSettings } from '../core/engine/types';
import type { StartupTimes } from '../core/engine/startupMarks';

/** link: an image that came in a link (decoded untouched, like the samples, so sender and receiver get the same pixels). */
export type ImageSource = { kind: 'url'; url: string } | { kind: 'file' | 'link'; file: Blob; name: string };

export type WorkerRequest =
  /** wasmThreads: a fixed thread count for WASM (benchmarks, tests); absent: measured (src/core/threads.ts). */
  /** gpuWarmUp: false to skip building GPU programs ahead (benchmarks compare); absent: built. */
  /** paintAside: false to make the step's pictures on the sampler's thread (tests and benchmarks compare); absent: in a second worker. */
  /** The page's own start is over (its first view rendered, its main thread idle): WASM's spin test reads the cores then (src/core/backends/wasm.ts). */
  | { type: 'pageSettled' }
  | { type: 'init'; backend: BackendChoice; modelBaseUrl: string; wasmThreads?: number; gpuWarmUp?: boolean; paintAside?: boolean; rememberedWasmThreads?: number }
  /** A run is done and the page idle: a start from the remembered thread count looks at the free cores, for the next visit, once nothing else runs. */
  | { type: 'lookAtCores' }
  | { type: 'setImage'; requestId: number; source: ImageSource }
  | { type: 'run'; runId: number; settings: RunSettings }
  /** The model the first run will need, read while the backend starts. */
  | { type: 'prefetchModel'; settings: RunSettings }
  | { type: 'cancel'; runId: number }
  /** own: your own transform's link value, whose strip it is (the degradation is then ignored). */
  | { type: 'strip'; requestId: number; degradation: RunSettings['degradation']; seed: number; own?: string }
  | { type: 'grid'; requestId: number; request: GridRequest }
  /** "How many steps?" for the settings of run `runId`; a newer one or cancelSweep stops it. */
  | { type: 'sweep'; requestId: number; runId: number; settings: RunSettings }
  | { type: 'cancelSweep' }
  /** Train a restorer for your own transform on these pictures (and the picture on screen, when it is the visitor's own). */
  | { type: 'train'; trainingId: number; transform: string; budget: TrainingBudget; loss: TrainingLoss; warm: WarmStart; pictures: { train: ImageSource[]; heldOut: ImageSource[] }; withCurrent: boolean }
  | { type: 'trainControl'; action: 'pause' | 'resume' | 'stop' }
  /** The restorer file of your own transform's latest snapshot; about: what the page adds (backend, figures). */
  | { type: 'exportOwnModel'; requestId: number; transform: string; about: Record<string, unknown> }
  | { type: 'openOwnModel'; requestId: number; file: Blob; name: string };

export type WorkerEvent =
  | EngineEvent
  /** When each part of the start happened (startupMarks.ts), once, at the first step. */
  | { type: 'startup'; times: StartupTimes }
  /** The WASM thread count the free cores gave (at the start, or at the look once a run is done): the page keeps it for the next visit. */
  | { type: 'wasmThreadsMeasured'; threads: number }
  /** Where the frames of the steps come from, once, at the start: the pictures' worker posts them there (src/worker/remotePainter.ts). */
  | { type: 'framesPort'; port: MessagePort }
  | { type: 'image'; requestId: number; pixels: Pixels; name: string }
  | ({ type: 'strip'; requestId: number } & ForwardStrip)
  | { type: 'grid'; requestId: number; state: GridState }
  | { type: 'sweepProgress'; requestId: number; progress: SweepProgress }
  | { type: 'sweep'; requestId: number; result: StepSweep }
  | { type: 'ownModelFile'; requestId: number; bytes: Uint8Array }
  | { type: 'ownModelOpened'; requestId: number; name: string; info: OwnModelInfo }
  | { type: 'error'; scope: 'backend' | 'model' | 'image' | 'run' | 'grid' | 'sweep' | 'training' | 'ownModel'; message: string; requestId?: number; runId?: number };
