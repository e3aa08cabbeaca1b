/**
 * What each degradation is, without any tensor code: the UI, the link parser and the
 * CLIs read this (so the page's main bundle carries no tfjs); the operators in
 * <id>.ts import their schedules from here.
 */
export interface DegradationInfo {
  readonly id: string;
  /** Name shown in the picker. */
  readonly label: string;
  /** One sentence on what happens to the image as t grows. */
  readonly description: string;
  /** Largest step: D(x0, T) has lost (almost) everything. */
  readonly T: number;
  /** A short readout of the strength at step t, e.g. "σ = 6.0 px". */
  strengthLabel(t: number): string;
  /** Whether a seed fixes its randomness (hole centre, snow layer, noise): the seed goes in the link. */
  readonly seeded: boolean;
  /** Earlier checkpoints of its model's training run that are shipped (models/<id>-<name>/), as poorer restorers. */
  readonly checkpoints?: readonly CheckpointName[];
  /** It mixes in a picture from models/<id>/pool.json (mixPool.ts): D needs that pool, loaded before it is made. */
  readonly mixesPicture?: boolean;
  /** One line for the visitor where the result is not a restoration to expect (little of the picture left at t), else null. */
  caveat?(t: number): string | null;
}

/** Checkpoints after about 3 % (early) and 15 % (mid) of a training run (training/train_model.sh). */
export const CHECKPOINT_NAMES = ['early', 'mid'] as const;
export type CheckpointName = (typeof CHECKPOINT_NAMES)[number];

/**
 * Blur schedule at the 128×128 working resolution: T = 40 steps of σ_i = 0.5 + 0.08·i px,
 * composed in closed form: σ(t) = sqrt(Σ_{i<t} σ_i²), so σ(T/2) ≈ 6.0 px and σ(T) ≈ 14.3 px
 * (the calibration schedule of docs/design.md). Kernels are truncated at 3 σ(T).
 */
export interface BlurSchedule {
  T: number;
  stepSigmaBase: number;
  stepSigmaSlope: number;
  truncateSigmas: number;
}

export const BLUR_SCHEDULE: BlurSchedule = { T: 40, stepSigmaBase: 0.5, stepSigmaSlope: 0.08, truncateSigmas: 3 };

export function blurSigma(t: number, schedule: BlurSchedule = BLUR_SCHEDULE): number {
  let variance = 0;
  for (let i = 0; i < t; i++) variance += (schedule.stepSigmaBase + schedule.stepSigmaSlope * i) ** 2;
  return Math.sqrt(variance);
}

export const blurStrength = (t: number, schedule: BlurSchedule = BLUR_SCHEDULE) => `σ = ${blurSigma(t, schedule).toFixed(1)} px`;

/** Noise: cosine schedule (Nichol & Dhariwal), ᾱ_t = f(t)/f(0), f(t) = cos²(((t/T + s)/(1 + s))·π/2). */
export const NOISE_T = 50;
export const COSINE_OFFSET = 0.008;

export function alphaBar(t: number, T: number = NOISE_T): number {
  const f = (u: number) => Math.cos(((u / T + COSINE_OFFSET) / (1 + COSINE_OFFSET)) * (Math.PI / 2)) ** 2;
  return f(t) / f(0);
}

/** Inpaint: σ_i = slope·(i + offset) px for the hole factor of step i. */
export const INPAINT_SCHEDULE = { T: 50, sigmaSlope: 0.5, sigmaOffset: 1 } as const;

const SNOW_T = 50;
const DECOLORIZE_T = 20;

export const CATALOG = {
  blur: {
    id: 'blur',
    label: 'Blur',
    description: 'Gaussian blur that grows with t until only soft colour remains (deblurring).',
    T: BLUR_SCHEDULE.T,
    strengthLabel: (t: number) => blurStrength(t),
    caveat: (t: number) => (t >= 0.75 * BLUR_SCHEDULE.T ? `At ${blurStrength(t)} the fine detail is gone: the samplers can only make it up, so expect a plausible picture, not this one exactly.` : null),
    seeded: false,
    checkpoints: ['early', 'mid'],
  },
  pixelate: {
    id: 'pixelate',
    label: 'Pixelate',
    description: 'Each step halves the resolution once more, down to 8×8 blocks (super-resolution).',
    T: 4,
    strengthLabel: (t: number) => (t === 0 ? 'full resolution' : `${2 ** t}×${2 ** t} px blocks`),
    caveat: (t: number) => `Pixelation has only 4 steps (each halves the resolution), so the samplers take ${t} step${t === 1 ? '' : 's'} here: few frames to watch.`,
    seeded: false,
  },
  inpaint: {
    id: 'inpaint',
    label: 'Hole (inpaint)',
    description: 'A soft Gaussian hole grows until it has eaten the middle of the image (inpainting). The seed places it.',
    T: INPAINT_SCHEDULE.T,
    strengthLabel: (t: number) => (t === 0 ? 'no hole' : `hole σ up to ${(INPAINT_SCHEDULE.sigmaSlope * (t - 1 + INPAINT_SCHEDULE.sigmaOffset)).toFixed(1)} px`),
    caveat: (t: number) => (t >= 0.8 * INPAINT_SCHEDULE.T ? 'The hole has eaten most of the picture: what fills it is a guess from the edges, not the original.' : null),
    seeded: true,
    checkpoints: ['early', 'mid'],
  },
  snow: {
    id: 'snow',
    label: 'Snow',
    description: 'Snow falls on the image, thicker and streakier as t grows (desnowing). The seed fixes the flakes.',
    T: SNOW_T,
    strengthLabel: (t: number) => `${Math.round((t / SNOW_T) * 100)} % snowfall`,
    seeded: true,
  },
  decolorize: {
    id: 'decolorize',
    label: 'Fade to gray',
    description: 'Colour fades linearly to gray as t grows (colourisation).',
    T: DECOLORIZE_T,
    strengthLabel: (t: number) => `${Math.round((t / DECOLORIZE_T) * 100)} % gray`,
    caveat: (t: number) =>
      t === DECOLORIZE_T ? 'At t = T no colour is left at all: the colours the samplers show are guesses (colourising a gray picture has no single answer).' : t >= 0.85 * DECOLORIZE_T ? 'Little colour is left at this t: the samplers must guess much of it.' : null,
    seeded: false,
  },
  noise: {
    id: 'noise',
    label: 'Noise (hot diffusion)',
    description: 'Classic Gaussian-noise diffusion, for contrast: the signal fades into noise drawn from the seed, which the samplers do not know (denoising).',
    T: NOISE_T,
    strengthLabel: (t: number) => `signal ${(Math.sqrt(alphaBar(t)) * 100).toFixed(0)} %`,
    caveat: (t: number) => (Math.sqrt(alphaBar(t)) < 0.35 ? `Only ${(Math.sqrt(alphaBar(t)) * 100).toFixed(0)} % of the picture is left under the noise: the network paints a plausible picture, which need not be this one (that is generation rather than restoration).` : null),
    seeded: true,
  },
  animorph: {
    id: 'animorph',
    label: 'Animorphosis',
    description:
      'The image fades into another picture, chosen by the seed, on the noise’s schedule (demixing). The samplers do not know which picture: they estimate it.',
    T: NOISE_T,
    strengthLabel: (t: number) => `image ${(Math.sqrt(alphaBar(t)) * 100).toFixed(0)} %`,
    caveat: (t: number) => (Math.sqrt(alphaBar(t)) < 0.35 ? `Only ${(Math.sqrt(alphaBar(t)) * 100).toFixed(0)} % of the picture is left: the samplers cannot tell it from the picture mixed in, and end in a gray mix of both.` : null),
    seeded: true,
    mixesPicture: true,
  },
} as const satisfies Record<string, DegradationInfo>;

export type DegradationId = keyof typeof CATALOG;
export const DEGRADATION_IDS = Object.keys(CATALOG) as DegradationId[];

export function isDegradationId(value: string): value is DegradationId {
  return Object.hasOwn(CATALOG, value);
}

export function degradationInfo(id: DegradationId): DegradationInfo {
  return CATALOG[id];
}

/**
 * Generation (the paper's blur generation), a mode of its own rather than a picker entry: a blur
 * that ends in a flat colour (the channel mean at t = T), undone by a model trained on one data set.
 * Each data set has its resolution, schedule and model (models/<modelId>/); training/blur_to_flat.py
 * mirrors the schedules.
 */
export interface Generator {
  /** Its value in the link (data=). */
  readonly dataset: string;
  readonly degradationId: string;
  readonly modelId: string;
  /** Pictures are size × size. */
  readonly size: number;
  readonly schedule: BlurSchedule;
  /** What the pictures are, for the visitor: "faces", "garments". */
  readonly pictures: string;
  /** Where the training pictures come from, with their licence (shown in the page). */
  readonly credit: string;
  /** Its operator's metadata (blurToFlat.ts). */
  readonly info: DegradationInfo;
}

function generator(g: Omit<Generator, 'info'> & { label: string }): Generator {
  const { label, ...rest } = g;
  const T = g.schedule.T;
  return {
    ...rest,
    info: {
      id: g.degradationId,
      label,
      description: 'Blur that ends in a single flat colour: generation starts from there.',
      T,
      strengthLabel: (t: number) => (t === T ? 'flat colour' : blurStrength(t, g.schedule)),
      seeded: false,
    },
  };
}

/** The symmetry-breaking noise added to the flat start (the paper's σ ≈ 0.002, training/blur_to_flat.py SYMMETRY_NOISE). */
export const SYMMETRY_NOISE = 0.002;

export const GENERATORS = {
  // 64×64: s_i = 0.4 + 0.2·i px over T = 30 (σ(T−1) ≈ 19.4 px, a third of the picture, as at 32 px).
  faces: generator({
    dataset: 'faces',
    degradationId: 'blur-to-flat-64',
    modelId: 'generate-faces',
    size: 64,
    schedule: { T: 30, stepSigmaBase: 0.4, stepSigmaSlope: 0.2, truncateSigmas: 3 },
    label: 'Generate (faces)',
    pictures: 'faces',
    credit: 'Personas by Draftbit (CC BY 4.0), drawn with DiceBear',
  }),
  // 32×32 gray: s_i = 0.4 + 0.2·i px over T = 20 (σ(T−1) ≈ 10.7 px).
  garments: generator({
    dataset: 'garments',
    degradationId: 'blur-to-flat',
    modelId: 'generate',
    size: 32,
    schedule: { T: 20, stepSigmaBase: 0.4, stepSigmaSlope: 0.2, truncateSigmas: 3 },
    label: 'Generate (Fashion-MNIST)',
    pictures: 'garments',
    credit: 'Fashion-MNIST by Zalando Research (MIT), from Debian',
  }),
} as const satisfies Record<string, Generator>;

export type GenerationDataset = keyof typeof GENERATORS;
export const GENERATION_DATASETS = Object.keys(GENERATORS) as GenerationDataset[];
export const isGenerationDataset = (v: string): v is GenerationDataset => Object.hasOwn(GENERATORS, v);
export const generatorFor = (dataset: GenerationDataset): Generator => GENERATORS[dataset];
/** The generator whose operator has this id, if any. */
export const generatorOfDegradation = (id: string): Generator | undefined => Object.values(GENERATORS).find((g) => g.degradationId === id);
