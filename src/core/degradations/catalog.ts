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
}

/**
 * Blur schedule at the 128×128 working resolution: T = 40 steps of σ_i = 0.5 + 0.08·i px,
 * composed in closed form: σ(t) = sqrt(Σ_{i<t} σ_i²), so σ(T/2) ≈ 6.0 px and σ(T) ≈ 14.3 px
 * (the calibration schedule of machine-notes). Kernels are truncated at 3 σ(T).
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

export const CATALOG = {
  blur: {
    id: 'blur',
    label: 'Blur',
    description: 'Gaussian blur that grows with t until only soft colour remains (deblurring).',
    T: BLUR_SCHEDULE.T,
    strengthLabel: (t: number) => `σ = ${blurSigma(t).toFixed(1)} px`,
  },
  decolorize: {
    id: 'decolorize',
    label: 'Fade to gray',
    description: 'Colour fades linearly to gray as t grows (colourisation).',
    T: 20,
    strengthLabel: (t: number) => `${Math.round((t / 20) * 100)} % gray`,
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
