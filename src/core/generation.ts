import { normals, STREAM_COLOUR_COMPONENT, STREAM_GENERATE, uniforms } from './degradations/rng';

type Triple = [number, number, number];
type Matrix3 = [Triple, Triple, Triple];

/** One Gaussian of the start-colour mixture, in [-1, 1]. */
export interface ColourComponent {
  weight: number;
  colourMean: Triple;
  /** Lower-triangular factor of its covariance. */
  colourCholesky: Matrix3;
}

/** How generation starts, stored in the generation model's manifest (degradation.start). */
export interface GenerationStart {
  /** One Gaussian fitted to the training images' per-channel means, in [-1, 1]. */
  colourMean: Triple;
  /** Lower-triangular factor of its covariance. */
  colourCholesky: Matrix3;
  /** A mixture fitted to the same means, when it fits them better than one Gaussian (the seed picks a component). */
  components?: ColourComponent[];
  /** Per-pixel noise that breaks the symmetry of the flat start. */
  noiseSigma: number;
}

/** What the visitor may set instead of the model's choice. */
export interface StartOverrides {
  /** A fixed start colour (RGB in [-1, 1]) instead of one drawn from the mixture; the noise still comes from the seed. */
  colour?: Triple | null;
  noiseSigma?: number | null;
}

const isTriple = (v: unknown): v is Triple => Array.isArray(v) && v.length === 3 && v.every((n) => typeof n === 'number' && Number.isFinite(n));
const isMatrix3 = (v: unknown): v is Matrix3 => Array.isArray(v) && v.length === 3 && v.every(isTriple);
const isComponent = (v: unknown): v is ColourComponent => {
  const c = v as Partial<Record<keyof ColourComponent, unknown>> | null;
  return !!c && typeof c.weight === 'number' && c.weight >= 0 && isTriple(c.colourMean) && isMatrix3(c.colourCholesky);
};

export function parseGenerationStart(raw: unknown): GenerationStart {
  const r = raw as Partial<Record<keyof GenerationStart, unknown>> | null;
  const componentsOk = r?.components === undefined || (Array.isArray(r.components) && r.components.length > 0 && r.components.every(isComponent));
  if (!r || !isTriple(r.colourMean) || !isMatrix3(r.colourCholesky) || !componentsOk || typeof r.noiseSigma !== 'number' || !(r.noiseSigma >= 0)) {
    throw new Error('the generation model has no valid "start" (colour Gaussian and noise level) in its model.json');
  }
  return r as GenerationStart;
}

/** The colour component a seed draws from: the first whose cumulative weight passes a uniform of stream 6 (the last if none). */
export function colourComponent(start: GenerationStart, seed: number): ColourComponent {
  const components = start.components;
  if (!components || components.length === 1) return components?.[0] ?? { weight: 1, colourMean: start.colourMean, colourCholesky: start.colourCholesky };
  const u = uniforms(seed, STREAM_COLOUR_COMPONENT, 1)[0]!;
  let total = 0;
  for (const c of components) {
    total += c.weight;
    if (total > u) return c;
  }
  return components[components.length - 1]!;
}

/** The flat colour a seed starts from (RGB in [-1, 1]), before the noise. */
export function startColour(start: GenerationStart, seed: number): Triple {
  const z = normals(seed, STREAM_GENERATE, 3);
  const { colourMean: m, colourCholesky: L } = colourComponent(start, seed);
  return [0, 1, 2].map((c) => m[c]! + L[c]![0]! * z[0]! + L[c]![1]! * z[1]! + L[c]![2]! * z[2]!) as Triple;
}

/**
 * x_T of one generated sample, NHWC [size·size·3] floats: a colour drawn from the fitted
 * mixture plus symmetry-breaking noise, both from the seed (stream 4: three normals for
 * the colour, then one per pixel and channel; stream 6: the component). Mirror of
 * training/blur_to_flat.py start_image.
 */
export function generationStart(start: GenerationStart, seed: number, size: number, overrides: StartOverrides = {}): Float32Array {
  const z = normals(seed, STREAM_GENERATE, 3 + size * size * 3);
  const colour = overrides.colour ?? startColour(start, seed);
  const sigma = overrides.noiseSigma ?? start.noiseSigma;
  const out = new Float32Array(size * size * 3);
  for (let i = 0; i < size * size * 3; i++) out[i] = colour[i % 3]! + z[3 + i]! * sigma;
  return out;
}

/** 'rrggbb' → RGB in [-1, 1]; null if it is not six hex digits. */
export function colourFromHex(hex: string): Triple | null {
  if (!/^[0-9a-f]{6}$/i.test(hex)) return null;
  return [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16) / 127.5 - 1) as Triple;
}

/** RGB in [-1, 1] → 'rrggbb' (clipped), for the colour picker. */
export function hexFromColour(colour: Triple): string {
  return colour.map((v) => Math.round(Math.min(255, Math.max(0, (v + 1) * 127.5))).toString(16).padStart(2, '0')).join('');
}
