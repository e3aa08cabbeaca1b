import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError, parseManifest, specByteLength, weightMismatches, type ModelManifest } from './manifest';
import { UNet } from './unet';

/** Where model files come from: HTTP in the browser, the file system under Node. */
export interface FileSource {
  /** Reads one file; reports bytes as they arrive (total may be unknown: 0). */
  read(name: string, onBytes?: (loaded: number, total: number) => void): Promise<ArrayBuffer>;
  /** For messages: where the files live. */
  readonly location: string;
}

export interface LoadProgress {
  loadedBytes: number;
  totalBytes: number;
  /** 0..1 */
  fraction: number;
}

export interface LoadedModel {
  manifest: ModelManifest;
  unet: UNet;
  bytes: number;
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'format' | 'mismatch' | 'corrupt',
  ) {
    super(message);
  }
}

/** Files over HTTP(S), relative to a base URL, with streamed progress. */
export function httpSource(baseUrl: string, fetchImpl: typeof fetch = fetch): FileSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    location: base,
    async read(name, onBytes) {
      let response: Response;
      try {
        response = await fetchImpl(base + name);
      } catch (e) {
        throw new ModelLoadError(`Could not reach ${base + name}: ${(e as Error).message}`, 'unreachable');
      }
      if (!response.ok) throw new ModelLoadError(`${base + name}: HTTP ${response.status} ${response.statusText}`, 'unreachable');
      const total = Number(response.headers.get('content-length') ?? 0);
      if (!response.body) return response.arrayBuffer();
      const reader = response.body.getReader();
      const parts: Uint8Array[] = [];
      let loaded = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        parts.push(value);
        loaded += value.byteLength;
        onBytes?.(loaded, total);
      }
      const out = new Uint8Array(loaded);
      let offset = 0;
      for (const p of parts) {
        out.set(p, offset);
        offset += p.byteLength;
      }
      return out.buffer;
    },
  };
}

function decodeManifest(buffer: ArrayBuffer, where: string): ModelManifest {
  let raw: unknown;
  const text = new TextDecoder().decode(buffer);
  // Static hosts with a single-page fallback answer a missing file with the app's index.html.
  if (/^\s*<(!doctype|html)/i.test(text)) throw new ModelLoadError(`${where}model.json is missing (the server sent a web page instead)`, 'format');
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new ModelLoadError(`${where}model.json is not valid JSON (${(e as Error).message})`, 'format');
  }
  try {
    return parseManifest(raw);
  } catch (e) {
    if (e instanceof ModelFormatError) throw new ModelLoadError(`${where}${e.message}`, 'format');
    throw e;
  }
}

/**
 * Reads model.json and its shards, checks every weight's name, shape, dtype and byte
 * length against the architecture, decodes (dequantising where the manifest says so),
 * and rejects non-finite values, so a truncated or corrupted download fails loudly here
 * instead of producing garbage images later.
 */
export async function loadModel(source: FileSource, onProgress?: (p: LoadProgress) => void): Promise<LoadedModel> {
  const where = source.location;
  const manifest = decodeManifest(await source.read('model.json'), where);
  const problems = weightMismatches(manifest);
  if (problems.length > 0) {
    throw new ModelLoadError(`${where}model.json does not describe the expected network: ${problems.slice(0, 5).join('; ')}${problems.length > 5 ? ` (+${problems.length - 5} more)` : ''}`, 'mismatch');
  }
  const specs = manifest.weightsManifest.flatMap((g) => g.weights);
  const paths = manifest.weightsManifest.flatMap((g) => g.paths);
  const digests = manifest.weightsManifest.flatMap((g) => g.sha256);
  const expectedBytes = specs.reduce((sum, s) => sum + specByteLength(s), 0);
  const loadedPerFile = new Array<number>(paths.length).fill(0);
  // Once one file has failed, the others may still be arriving: their progress must not
  // make the load look alive again.
  let failed = false;
  const report = () => {
    if (failed) return;
    const loaded = loadedPerFile.reduce((a, b) => a + b, 0);
    onProgress?.({ loadedBytes: loaded, totalBytes: expectedBytes, fraction: expectedBytes ? Math.min(1, loaded / expectedBytes) : 1 });
  };
  report();
  const shards = await Promise.all(
    paths.map((p, i) =>
      source.read(p, (loaded) => {
        loadedPerFile[i] = loaded;
        report();
      }),
    ),
  ).catch((e: unknown) => {
    failed = true;
    throw e;
  });
  const actualBytes = shards.reduce((sum, s) => sum + s.byteLength, 0);
  if (actualBytes !== expectedBytes) {
    throw new ModelLoadError(`${where}: weight files hold ${actualBytes} bytes but model.json describes ${expectedBytes}; the download is truncated or the files do not belong together`, 'corrupt');
  }
  // A shard of the right length can still be altered (a broken cache, a tampering proxy).
  shards.forEach((shard, i) => {
    const actual = bytesToHex(sha256(new Uint8Array(shard)));
    if (actual !== digests[i]) {
      throw new ModelLoadError(`${where}${paths[i]} does not match its SHA-256 digest in model.json (expected ${digests[i]!.slice(0, 12)}…, got ${actual.slice(0, 12)}…): the file is corrupt or was altered`, 'corrupt');
    }
  });
  const payload = new Uint8Array(actualBytes);
  let offset = 0;
  for (const s of shards) {
    payload.set(new Uint8Array(s), offset);
    offset += s.byteLength;
  }
  const named = tf.io.decodeWeights(payload.buffer, specs);
  const weights = new Map<string, tf.Tensor>();
  for (const spec of specs) {
    const t = named[spec.name]!;
    const values = t.dataSync();
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        tf.dispose(Object.values(named));
        throw new ModelLoadError(`${where}: weight "${spec.name}" holds a non-finite value; the file is corrupt`, 'corrupt');
      }
    }
    weights.set(spec.name, t);
  }
  return { manifest, unet: new UNet(manifest.modelTopology, weights), bytes: actualBytes };
}
