import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import { ModelLoadError, type FileSource } from '../model/loader';
import { hashes, STREAM_MIX } from './rng';

/**
 * The pictures animorphosis mixes into the image (models/animorph/pool.json + pool.bin, written by
 * training/animorph.py from Debian's Lomiri wallpapers; never restored, never trained on as x0).
 */
export interface MixPicture {
  key: string;
  title: string;
  author: string;
  license: string;
  package: string;
}

export interface MixPool {
  /** Side of each (square) picture. */
  size: number;
  pictures: MixPicture[];
  /** uint8 RGB, pictures × size × size × 3. */
  pixels: Uint8Array;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads pool.json and its pictures, checking their length and SHA-256 digest, like model shards. */
export async function loadMixPool(source: FileSource, signal?: AbortSignal): Promise<MixPool> {
  const where = source.location;
  let meta: unknown;
  try {
    meta = JSON.parse(new TextDecoder().decode(await source.read('pool.json', undefined, signal)));
  } catch (e) {
    if (e instanceof ModelLoadError) throw e;
    throw new ModelLoadError(`${where}pool.json is not valid JSON (${(e as Error).message})`, 'format');
  }
  const pictures = isRecord(meta) && Array.isArray(meta.pictures) ? meta.pictures : null;
  if (
    !isRecord(meta) ||
    typeof meta.file !== 'string' ||
    !/^[\w.-]+$/.test(meta.file) ||
    !Number.isInteger(meta.size) ||
    (meta.size as number) <= 0 ||
    typeof meta.sha256 !== 'string' ||
    !pictures ||
    pictures.length === 0 ||
    !pictures.every((p) => isRecord(p) && ['key', 'title', 'author', 'license', 'package'].every((k) => typeof p[k] === 'string'))
  ) {
    throw new ModelLoadError(`${where}pool.json does not describe a picture pool (file, size, sha256, pictures)`, 'format');
  }
  const size = meta.size as number;
  const bytes = new Uint8Array(await source.read(meta.file, undefined, signal));
  const expected = pictures.length * size * size * 3;
  if (bytes.byteLength !== expected) {
    throw new ModelLoadError(`${where}${meta.file} holds ${bytes.byteLength} bytes but pool.json describes ${expected}; the download is truncated`, 'corrupt');
  }
  if (bytesToHex(sha256(bytes)) !== meta.sha256) {
    throw new ModelLoadError(`${where}${meta.file} does not match its SHA-256 digest in pool.json: the file is corrupt or was altered`, 'corrupt');
  }
  return { size, pictures: pictures as unknown as MixPicture[], pixels: bytes };
}

/** Which picture a seed mixes in. */
export function poolIndex(pool: MixPool, seed: number): number {
  return seed % pool.pictures.length;
}

/**
 * z for an image of height × width, NHWC floats in [−1, 1]: picture seed mod N; a smaller image sees
 * a window placed by the seed (rng stream 5), a larger one the picture repeated. Mirror of
 * training/animorph.py's pool_field.
 */
export function poolField(pool: MixPool, seed: number, height: number, width: number): Float32Array {
  const { size, pixels } = pool;
  const [hy, hx] = hashes(seed, STREAM_MIX, 2) as unknown as [number, number];
  const oy = height < size ? hy % (size - height + 1) : 0;
  const ox = width < size ? hx % (size - width + 1) : 0;
  const base = poolIndex(pool, seed) * size * size * 3;
  const out = new Float32Array(height * width * 3);
  for (let y = 0; y < height; y++) {
    const row = base + ((y + oy) % size) * size * 3;
    for (let x = 0; x < width; x++) {
      const src = row + ((x + ox) % size) * 3;
      const dst = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) out[dst + c] = pixels[src + c]! / 127.5 - 1;
    }
  }
  return out;
}
