/**
 * The training settings a link carries (src/state/viewState.ts), without the trainer: the page's first script
 * imports these, and the trainer's modules bring TensorFlow.js with them, which only the worker needs (issue 28).
 */

/** How long a visitor may let training run, in seconds of training; 0: until stopped. */
export const TRAINING_BUDGETS = [30, 60, 180, 0] as const;
export type TrainingBudget = (typeof TRAINING_BUDGETS)[number];
export const isTrainingBudget = (v: number): v is TrainingBudget => (TRAINING_BUDGETS as readonly number[]).includes(v);

/**
 * The shipped restorers a training may start from (models/<id>/; 'none': a new network). A warm start is
 * kept only where it helps: the shipped restorer's one call must beat the input on the held-out pictures at
 * T / 2 by WARM_START_MIN_GAIN_DB (trainingSession.ts; told some t near T / 2), measured before the first step; otherwise training starts from a new
 * network and says why. Measured (docs/own-transform.md): the shipped blur restorer fits only blurs close
 * to its own schedule, and for the three examples a warm start trained no better than a new network.
 */
export const WARM_STARTS = ['none', 'blur', 'inpaint'] as const;
export type WarmStart = (typeof WARM_STARTS)[number];
export const isWarmStart = (v: string): v is WarmStart => (WARM_STARTS as readonly string[]).includes(v);

/**
 * What training minimises between R(D(x0, t), t) and x0. The paper's L1 is the default of the offline
 * training; in the page, with minutes instead of hours, L2: from the identity the network starts as,
 * L1 stayed at the identity for the whole 3 minutes on each of the three example transforms (held-out
 * one call = input to 0.01 dB after 700 steps), while L2 lifted the painted mask's one call by 4 dB in
 * 50 steps (docs/own-transform.md).
 */
export const TRAINING_LOSSES = ['l2', 'l1'] as const;
export type TrainingLoss = (typeof TRAINING_LOSSES)[number];
export const isTrainingLoss = (v: string): v is TrainingLoss => (TRAINING_LOSSES as readonly string[]).includes(v);

/**
 * Gallery pictures never trained on: the live PSNR is measured on them. The goldfish, the picture a
 * bare page opens on, is one of them, so the preview of a first training shows a picture it never saw.
 */
export const HELD_OUT_SAMPLES = ['goldfish', 'ladybird', 'kite'] as const;

/** A restorer trained in the page, as one file (src/core/own/modelFile.ts). */
export const OWN_MODEL_EXTENSION = '.zip';
