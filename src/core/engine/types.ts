/**
 * What the page and the engine (in the worker) exchange: plain data, no tensors. Both sides
 * import it from here, so neither src/state nor src/worker depends on the other.
 */
import { CHECKPOINT_NAMES, type CheckpointName, type DegradationId, type GenerationDataset } from '../degradations/catalog';
import type { MixPicture } from '../degradations/mixPool';

/** Restore a degraded image, generate a new one from a flat colour, or restore with a transform the visitor built (and trained a restorer for). */
export const MODES = ['restore', 'generate', 'own'] as const;
export type Mode = (typeof MODES)[number];
export const isMode = (v: string): v is Mode => (MODES as readonly string[]).includes(v);

/** An image as pixels: RGBA bytes, width × height. */
export interface Pixels {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
}

/**
 * Who plays R(x_s, s): the shipped network, an earlier checkpoint of its training run (a poorer
 * restorer, where one is shipped), or an oracle that returns the original (restore mode only).
 */
export const RESTORERS = ['trained', ...CHECKPOINT_NAMES, 'oracle'] as const;
export const isCheckpoint = (r: RestorerId): r is CheckpointName => (CHECKPOINT_NAMES as readonly string[]).includes(r);
export type RestorerId = (typeof RESTORERS)[number];
export const isRestorerId = (v: string): v is RestorerId => (RESTORERS as readonly string[]).includes(v);

/** Everything that decides a run's frames (besides the image). src/state/viewState.ts lists which link fields these are. */
export interface RunSettings {
  mode: Mode;
  degradation: DegradationId;
  /** Start step. */
  t: number;
  /** Steps from t to 0 (1..t; t: every level): frame i shows the chains at stepSchedule(t, steps)[i]. */
  steps: number;
  seed: number;
  /** Generating: which generator, the start colour ('' drawn from the seed, else 'rrggbb') and the noise σ. */
  dataset: GenerationDataset;
  colour: string;
  sigma: number;
  restorer: RestorerId;
  /** Your own transform: its link value (src/core/own/ownTransform.ts); used in mode 'own'. */
  own: string;
}

/** The residual x_s − D(x̂0, s) is shown this many times larger, around mid-gray. */
export const RESIDUAL_GAIN = 4;

/** One sampler's step s → s−1, as the update computed it (x_s is the previous frame's xt). */
export interface StepPixels {
  /** x̂0 = R(x_s, s) */
  x0: Pixels;
  /** D(x̂0, s): what improved sampling subtracts. */
  atS: Pixels;
  /** D(x̂0, s−1): naive's next state, and what improved sampling adds. */
  atPrev: Pixels;
  /** x_s − D(x̂0, s) × RESIDUAL_GAIN around gray: what improved keeps and naive throws away. */
  residual: Pixels;
  /** RMS of x_s − D(x̂0, s) on the [0, 1] scale: how well the estimate explains x_s (needs no original). */
  residualRms: number;
  /** PSNR of x̂0 against the original, dB; null without one. */
  x0Psnr: number | null;
}

export interface ChainPixels {
  /** The chain's state after this frame: x_{s−1} (frame 0: the start x_t). */
  xt: Pixels;
  /** PSNR of xt against the original, dB; null when there is no original (generation). */
  psnr: number | null;
  /** RMSE(xt, D(x0, s−1)) on [0, 1]: the distance from the true forward trajectory; null without an original. */
  drift: number | null;
  /** null at frame 0. */
  step: StepPixels | null;
}

/** Direct (the paper's baseline): x̂0 = R(x_t, t), one network call, from frame 1 on. */
export interface DirectPixels {
  /** Sent once, in frame 1 (the same every frame). */
  x0: Pixels | null;
  psnr: number | null;
  /** Its path D(x̂0, s−1) for this frame's s: PSNR and distance from the true trajectory (null without an original). */
  pathPsnr: number | null;
  pathDrift: number | null;
}

export interface FramePixels {
  index: number;
  /** The step the chains are at after this frame. */
  t: number;
  naive: ChainPixels;
  improved: ChainPixels;
  direct: DirectPixels | null;
}

/** The forward process at a few steps 0..T, and the picture the degradation mixes in (null for the others). */
export interface ForwardStrip {
  frames: { t: number; pixels: Pixels }[];
  mixedIn: MixedIn | null;
  /** Your own transform: what makes it a poor one to learn (nothing or everything destroyed at t = 1); null when nothing does. */
  warning?: string | null;
}

/** Which picture of the pool the seed mixes in (animorphosis), as the page shows it. */
export interface MixedIn {
  picture: MixPicture;
  /** 0-based, of count. */
  index: number;
  count: number;
  pixels: Pixels;
}
