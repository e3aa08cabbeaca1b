import type { BackendChoice, BackendName, BackendProbe } from '../core/backend';
import type { DegradationId } from '../core/degradations/catalog';
import type { Mode } from '../state/viewState';

/** An image as pixels: RGBA bytes, width × height. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

export type ImageSource = { kind: 'url'; url: string } | { kind: 'file'; file: Blob; name: string };

export type WorkerRequest =
  | { type: 'init'; backend: BackendChoice; modelBaseUrl: string }
  | { type: 'setImage'; requestId: number; source: ImageSource }
  | { type: 'run'; runId: number; mode: Mode; degradation: DegradationId; t: number; seed: number }
  | { type: 'cancel'; runId: number };

export interface ChainPixels {
  xt: Pixels;
  x0: Pixels | null;
  /** PSNR of xt against the original, dB; null when there is no original (generation). */
  psnr: number | null;
}

export interface FramePixels {
  index: number;
  t: number;
  naive: ChainPixels;
  improved: ChainPixels;
}

export type WorkerEvent =
  | { type: 'backend'; name: BackendName; probes: BackendProbe[]; fallbackFrom: BackendName[]; reason: string | null }
  | { type: 'modelProgress'; fraction: number; loadedBytes: number; totalBytes: number }
  | { type: 'modelReady'; parameters: number; bytes: number; degradation: string }
  | { type: 'image'; requestId: number; pixels: Pixels; name: string }
  | { type: 'frame'; runId: number; frame: FramePixels; msPerStep: number | null }
  | { type: 'runDone'; runId: number; msPerStep: number | null }
  | { type: 'error'; scope: 'backend' | 'model' | 'image' | 'run'; message: string; requestId?: number; runId?: number };
