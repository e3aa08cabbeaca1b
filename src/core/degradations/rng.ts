/**
 * Seeded randomness that PyTorch reproduces bit for bit (training/rng.py).
 *
 * Counter-based: value i of stream s under a seed is fmix32 (MurmurHash3's finaliser) of
 * a key mixed from (seed, s) plus i·golden, so there is no state to keep in step between
 * the languages, and integer arithmetic only. Normals use Box-Muller in float64.
 */
const GOLDEN = 0x9e3779b9;
export const STREAM_HOLE = 1;
export const STREAM_SNOW = 2;
export const STREAM_NOISE = 3;
export const STREAM_GENERATE = 4;
export const STREAM_MIX = 5;
/** Which component of the generation colour mixture a seed draws from. */
export const STREAM_COLOUR_COMPONENT = 6;
/** The noise field of a transform the visitor makes (own/ownDegradation.ts), and its training batches. */
export const STREAM_OWN_NOISE = 7;
export const STREAM_OWN_TRAINING = 8;

/** Largest seed a link may carry: seeds are unsigned 32-bit integers. */
export const MAX_SEED = 0xffffffff;

export function fmix32(value: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

function streamKey(seed: number, stream: number): number {
  return fmix32((seed ^ Math.imul(GOLDEN, stream + 1)) >>> 0);
}

export function hashes(seed: number, stream: number, count: number): Uint32Array {
  const key = streamKey(seed, stream);
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = fmix32(Math.imul(i, GOLDEN) + key);
  return out;
}

/** count values in [0, 1), multiples of 2^-24. */
export function uniforms(seed: number, stream: number, count: number): Float64Array {
  return Float64Array.from(hashes(seed, stream, count), (h) => (h >>> 8) * 2 ** -24);
}

/** count standard normals, Box-Muller on value pairs (2j, 2j + 1). */
export function normals(seed: number, stream: number, count: number): Float64Array {
  const h = hashes(seed, stream, 2 * count);
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) {
    const u1 = ((h[2 * j]! >>> 8) + 0.5) * 2 ** -24;
    const u2 = (h[2 * j + 1]! >>> 8) * 2 ** -24;
    out[j] = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  return out;
}

export function isSeed(value: number): boolean {
  return Number.isInteger(value) && value >= 0 && value <= MAX_SEED;
}
