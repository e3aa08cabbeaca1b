import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError, parseManifest, specByteLength, weightMismatches, type ModelManifest } from './manifest';
import { offlineMessage } from './offlineModels';
import { UNet } from './unet';

/** Where model files come from: HTTP in the browser, the file system under Node. */
export interface FileSource {
  /** Reads one file; reports bytes as they arrive (total may be unknown: 0); stops when `signal` aborts. */
  read(name: string, onBytes?: (loaded: number, total: number) => void, signal?: AbortSignal): Promise<ArrayBuffer>;
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
  /** How long a GPU backend took to build its programs as it arrived (gpuWarmUp.ts); absent: nothing built. */
  warmUpMs?: number | null;
}

export class ModelLoadError extends Error {
  override name = 'ModelLoadError';
  constructor(
    message: string,
    readonly kind: 'unreachable' | 'offline' | 'stalled' | 'cancelled' | 'format' | 'mismatch' | 'corrupt',
  ) {
    super(message);
  }
}

/** A download that sends no byte for this long is given up (a flaky network, a proxy that stops mid-body). */
export const STALL_MS = 15_000;

/** What the browser (page or worker) believes: false only when it knows it has no network. */
const browserOnline = () => (globalThis.navigator as { onLine?: boolean } | undefined)?.onLine !== false;

/**
 * Files over HTTP(S), relative to a base URL, with streamed progress and a stall timeout. A
 * request that fails at the network level (fetch's TypeError) while the browser says it is
 * offline is a file that was never cached: the service worker, which answers offline, had none.
 */
export function httpSource(baseUrl: string, fetchImpl: typeof fetch = fetch, stallMs = STALL_MS, isOnline: () => boolean = browserOnline): FileSource {
  const base = baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`;
  return {
    location: base,
    async read(name, onBytes, signal) {
      const url = base + name;
      const controller = new AbortController();
      const cancel = () => controller.abort();
      signal?.addEventListener('abort', cancel);
      let stalled = false;
      let timer: ReturnType<typeof setTimeout> | undefined;
      // Re-armed on every chunk: only a silence of stallMs counts, not a slow download.
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          stalled = true;
          controller.abort();
        }, stallMs);
      };
      const failure = (e: unknown) => {
        if (stalled) return new ModelLoadError(`${url}: no data arrived for ${Math.round(stallMs / 1000)} s, so the download was stopped (the network or the server stalled)`, 'stalled');
        if (signal?.aborted) return new ModelLoadError(`${url}: download cancelled`, 'cancelled');
        if (e instanceof TypeError && !isOnline()) return new ModelLoadError(offlineMessage(url), 'offline');
        return e instanceof ModelLoadError ? e : new ModelLoadError(`Could not reach ${url}: ${(e as Error).message}`, 'unreachable');
      };
      arm();
      try {
        const response = await fetchImpl(url, { signal: controller.signal });
        if (!response.ok) throw new ModelLoadError(`${url}: HTTP ${response.status} ${response.statusText}`, 'unreachable');
        const total = Number(response.headers.get('content-length') ?? 0);
        if (!response.body) return await response.arrayBuffer();
        const reader = response.body.getReader();
        const parts: Uint8Array[] = [];
        let loaded = 0;
        for (;;) {
          const { done, value } = await reader.read();
          if (done) break;
          arm();
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
      } catch (e) {
        throw failure(e);
      } finally {
        clearTimeout(timer);
        signal?.removeEventListener('abort', cancel);
      }
    },
  };
}

/**
 * SHA-256 in hex: the platform's (native, about twice as fast as JavaScript on a model's 5 MB), or
 * @noble/hashes where there is none (a page served over plain HTTP from another host has no crypto.subtle).
 */
export async function sha256Hex(bytes: Uint8Array<ArrayBuffer>): Promise<string> {
  const subtle = (globalThis.crypto as Crypto | undefined)?.subtle;
  if (subtle) {
    try {
      return bytesToHex(new Uint8Array(await subtle.digest('SHA-256', bytes)));
    } catch {
      // Some embedders refuse it; the JavaScript one below gives the same digest.
    }
  }
  return bytesToHex(sha256(bytes));
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
export async function loadModel(source: FileSource, onProgress?: (p: LoadProgress) => void, signal?: AbortSignal): Promise<LoadedModel> {
  const where = source.location;
  const manifest = decodeManifest(await source.read('model.json', undefined, signal), where);
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
  // One failed shard stops the others.
  const siblings = new AbortController();
  const stop = () => siblings.abort();
  signal?.addEventListener('abort', stop);
  const shards = await Promise.all(
    paths.map((p, i) =>
      source.read(
        p,
        (loaded) => {
          loadedPerFile[i] = loaded;
          report();
        },
        siblings.signal,
      ),
    ),
  )
    .catch((e: unknown) => {
      failed = true;
      siblings.abort();
      throw e;
    })
    .finally(() => signal?.removeEventListener('abort', stop));
  const actualBytes = shards.reduce((sum, s) => sum + s.byteLength, 0);
  if (actualBytes !== expectedBytes) {
    throw new ModelLoadError(`${where}: weight files hold ${actualBytes} bytes but model.json describes ${expectedBytes}; the download is truncated or the files do not belong together`, 'corrupt');
  }
  // A shard of the right length can still be altered (a broken cache, a tampering proxy).
  const actualDigests = await Promise.all(shards.map((shard) => sha256Hex(new Uint8Array(shard))));
  actualDigests.forEach((actual, i) => {
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
