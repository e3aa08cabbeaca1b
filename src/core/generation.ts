import { normals, STREAM_GENERATE } from './degradations/rng';

/** How generation starts, stored in the generation model's manifest (degradation.start). */
export interface GenerationStart {
  /** Gaussian fitted to the training images' per-channel means, in [-1, 1]. */
  colourMean: [number, number, number];
  /** Lower-triangular factor of its covariance. */
  colourCholesky: [[number, number, number], [number, number, number], [number, number, number]];
  /** Per-pixel noise that breaks the symmetry of the flat start. */
  noiseSigma: number;
}

const isTriple = (v: unknown): v is [number, number, number] => Array.isArray(v) && v.length === 3 && v.every((n) => typeof n === 'number' && Number.isFinite(n));

export function parseGenerationStart(raw: unknown): GenerationStart {
  const r = raw as Partial<Record<keyof GenerationStart, unknown>> | null;
  if (
    !r ||
    !isTriple(r.colourMean) ||
    !Array.isArray(r.colourCholesky) ||
    r.colourCholesky.length !== 3 ||
    !r.colourCholesky.every(isTriple) ||
    typeof r.noiseSigma !== 'number' ||
    !(r.noiseSigma >= 0)
  ) {
    throw new Error('the generation model has no valid "start" (colour Gaussian and noise level) in its model.json');
  }
  return r as GenerationStart;
}

/**
 * x_T of one generated sample, NHWC [size·size·3] floats: a colour drawn from the fitted
 * Gaussian plus symmetry-breaking noise, both from the seed (stream 4: three normals for
 * the colour, then one per pixel and channel). Mirror of training/blur_to_flat.py.
 */
export function generationStart(start: GenerationStart, seed: number, size: number): Float32Array {
  const z = normals(seed, STREAM_GENERATE, 3 + size * size * 3);
  const L = start.colourCholesky;
  const colour = [0, 1, 2].map((c) => start.colourMean[c]! + L[c]![0]! * z[0]! + L[c]![1]! * z[1]! + L[c]![2]! * z[2]!);
  const out = new Float32Array(size * size * 3);
  for (let i = 0; i < size * size * 3; i++) out[i] = colour[i % 3]! + z[3 + i]! * start.noiseSigma;
  return out;
}
