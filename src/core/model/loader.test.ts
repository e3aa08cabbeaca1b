import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PARITY_DIR, useCpuBackend } from '../testing/fixtures';
import { httpSource, loadModel, ModelLoadError, sha256Hex, STALL_MS, type FileSource } from './loader';
import { expectedWeights } from './manifest';
import { directorySource } from './nodeSource';
import { isOfflineMessage } from './offlineModels';

beforeAll(useCpuBackend);

const good = join(PARITY_DIR, 'unet-float32');

function copyModel(edit?: (manifest: Record<string, unknown>, dir: string) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'model-'));
  cpSync(good, dir, { recursive: true });
  if (edit) {
    const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as Record<string, unknown>;
    edit(m, dir);
    writeFileSync(join(dir, 'model.json'), JSON.stringify(m));
  }
  return dir;
}

async function loadError(dir: string): Promise<ModelLoadError> {
  try {
    await loadModel(directorySource(dir));
  } catch (e) {
    expect(e).toBeInstanceOf(ModelLoadError);
    return e as ModelLoadError;
  }
  throw new Error('expected the load to fail');
}

type Weights = { name: string; shape: number[]; dtype: string }[];
const weightsOf = (m: Record<string, unknown>) => (m.weightsManifest as { weights: Weights }[])[0]!.weights;

describe('loadModel', () => {
  it('loads a valid model and reports progress up to 100%', async () => {
    const seen: number[] = [];
    const { unet, bytes } = await loadModel(directorySource(good), (p) => seen.push(p.fraction));
    expect(unet.parameterCount * 4).toBe(bytes);
    expect(seen.at(-1)).toBe(1);
    expect(seen[0]).toBe(0);
    unet.dispose();
  });

  it('names the architecture: expected weights match the topology', () => {
    const names = [...expectedWeights({ architecture: 'unet', channels: [8, 16], embedDim: 64, timeDim: 128, T: 40 }).keys()];
    expect(names).toContain('enc.1.time.weight');
    expect(names).toContain('up.0.weight');
    expect(names).not.toContain('up.1.weight');
  });

  it('space-to-depth models have a 12-channel stem and output; an unknown factor is refused', async () => {
    const w = expectedWeights({ architecture: 'unet', channels: [8, 16], embedDim: 64, timeDim: 128, T: 40, spaceToDepth: 2 });
    expect(w.get('stem.weight')).toEqual([3, 3, 12, 8]);
    expect(w.get('out.weight')).toEqual([3, 3, 8, 12]);
    const dir = mkdtempSync(join(tmpdir(), 's2d-'));
    cpSync(good, dir, { recursive: true });
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    manifest.modelTopology.spaceToDepth = 3;
    writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
    expect((await loadError(dir)).message).toMatch(/spaceToDepth.*must be 1 or 2/);
  });

  it('rejects a missing model with the path in the message', async () => {
    const e = await loadError(join(tmpdir(), 'no-such-model-dir'));
    expect(e.kind).toBe('unreachable');
    expect(e.message).toMatch(/no-such-model-dir/);
  });

  it('reports no progress after a file has failed', async () => {
    const files = directorySource(good);
    let late: (() => void) | undefined;
    const source: FileSource = {
      location: 'test/',
      read: async (name, onBytes) => {
        if (name === 'model.json') return files.read(name);
        // The shard fails; a second, slower download would report afterwards.
        late = () => onBytes?.(100, 200);
        throw new ModelLoadError('test/shard: HTTP 404', 'unreachable');
      },
    };
    const seen: number[] = [];
    await expect(loadModel(source, (p) => seen.push(p.loadedBytes))).rejects.toThrow(/HTTP 404/);
    const before = seen.length;
    late?.();
    expect(seen.length).toBe(before);
  });

  it('rejects model.json that is not JSON', async () => {
    const dir = copyModel();
    writeFileSync(join(dir, 'model.json'), '{"format": "cold-diff');
    expect((await loadError(dir)).message).toMatch(/not valid JSON/);
  });

  it('says a model is missing when a static host answers with its index page', async () => {
    const dir = copyModel();
    writeFileSync(join(dir, 'model.json'), '<!doctype html><html><body>app</body></html>');
    expect((await loadError(dir)).message).toMatch(/model\.json is missing \(the server sent a web page instead\)/);
  });

  it('rejects a wrong format tag', async () => {
    const e = await loadError(copyModel((m) => (m.format = 'something-else/2')));
    expect(e.kind).toBe('format');
    expect(e.message).toMatch(/"format"/);
  });

  it('rejects a weight with the wrong shape, naming it', async () => {
    const e = await loadError(copyModel((m) => (weightsOf(m)[3]!.shape = [1, 2])));
    expect(e.kind).toBe('mismatch');
    expect(e.message).toContain(weightsOf(JSON.parse(readFileSync(join(good, 'model.json'), 'utf8')) as Record<string, unknown>)[3]!.name);
  });

  it('rejects a missing weight', async () => {
    const e = await loadError(copyModel((m) => weightsOf(m).pop()));
    expect(e.message).toMatch(/missing weight "out.bias"/);
  });

  it('rejects an unsupported dtype', async () => {
    const e = await loadError(copyModel((m) => (weightsOf(m)[0]!.dtype = 'int32')));
    expect(e.message).toMatch(/dtype "int32"/);
  });

  it('rejects a truncated shard', async () => {
    const dir = copyModel();
    const shard = join(dir, 'group1-shard1of1.bin');
    writeFileSync(shard, readFileSync(shard).subarray(0, 1000));
    const e = await loadError(dir);
    expect(e.kind).toBe('corrupt');
    expect(e.message).toMatch(/1000 bytes/);
  });

  it('rejects weights holding NaN (even when the exporter wrote them, digest and all)', async () => {
    const dir = copyModel();
    const shard = join(dir, 'group1-shard1of1.bin');
    const buf = readFileSync(shard);
    buf.writeFloatLE(Number.NaN, 40);
    writeFileSync(shard, buf);
    const m = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')) as { weightsManifest: { sha256: string[] }[] };
    m.weightsManifest[0]!.sha256 = [createHash('sha256').update(buf).digest('hex')];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(m));
    expect((await loadError(dir)).message).toMatch(/non-finite/);
  });

  it('rejects a shard of the right length whose bytes were altered, naming the file', async () => {
    const dir = copyModel();
    const shard = join(dir, 'group1-shard1of1.bin');
    const buf = readFileSync(shard);
    for (let i = 0; i < 64; i++) buf[1000 + i] = (buf[1000 + i]! + 1) % 256; // still finite weights
    writeFileSync(shard, buf);
    const e = await loadError(dir);
    expect(e.kind).toBe('corrupt');
    expect(e.message).toMatch(/group1-shard1of1\.bin does not match its SHA-256 digest/);
  });

  it('refuses a model.json without the shards\' digests', async () => {
    const e = await loadError(copyModel((m) => delete (m.weightsManifest as Record<string, unknown>[])[0]!.sha256));
    expect(e.kind).toBe('format');
    expect(e.message).toMatch(/sha256/);
  });

  it('rejects shard paths that try to leave the model folder', async () => {
    const e = await loadError(copyModel((m) => ((m.weightsManifest as { paths: string[] }[])[0]!.paths = ['../../etc/passwd'])));
    expect(e.kind).toBe('format');
  });
});

describe('httpSource', () => {
  it('gives up a download that stops sending bytes, and says it stalled', async () => {
    const fakeFetch = (async (_url: string, init?: RequestInit) =>
      new Response(
        new ReadableStream<Uint8Array>({
          start(controller) {
            controller.enqueue(new Uint8Array(100)); // then nothing, as a proxy that stops mid-body
            init?.signal?.addEventListener('abort', () => controller.error(new Error('aborted')));
          },
        }),
        { headers: { 'content-length': '1000' } },
      )) as typeof fetch;
    const seen: number[] = [];
    const e = await httpSource('http://x/m/', fakeFetch, 80)
      .read('group1-shard1of1.bin', (n) => seen.push(n))
      .catch((err: unknown) => err as ModelLoadError);
    expect(e).toBeInstanceOf(ModelLoadError);
    expect((e as ModelLoadError).kind).toBe('stalled');
    expect((e as ModelLoadError).message).toMatch(/group1-shard1of1\.bin: no data arrived for 0 s/);
    expect(seen).toEqual([100]);
  });

  it('a slow download that keeps sending is not a stall', async () => {
    const fakeFetch = (async () =>
      new Response(
        new ReadableStream<Uint8Array>({
          async start(controller) {
            for (let i = 0; i < 5; i++) {
              await new Promise((r) => setTimeout(r, 40));
              controller.enqueue(new Uint8Array(10));
            }
            controller.close();
          },
        }),
      )) as typeof fetch;
    const buf = await httpSource('http://x/m/', fakeFetch, 80).read('a.bin');
    expect(buf.byteLength).toBe(50);
  });

  it('reports HTTP errors with the URL', async () => {
    const fakeFetch = (async () => new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
    const src: FileSource = httpSource('/models/blur', fakeFetch);
    await expect(src.read('model.json')).rejects.toThrow(/\/models\/blur\/model\.json: HTTP 404/);
  });

  describe('a network failure while offline', () => {
    const networkError = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    const failure = (source: FileSource): Promise<ModelLoadError> =>
      source.read('model.json').then(
        () => {
          throw new Error('expected the read to fail');
        },
        (err: unknown) => err as ModelLoadError,
      );

    it('says the model was never downloaded, and what to do, when the browser is offline', async () => {
      const e = await failure(httpSource('/models/snow', networkError, STALL_MS, () => false));
      expect(e).toBeInstanceOf(ModelLoadError);
      expect(e.kind).toBe('offline');
      expect(e.message).toMatch(/^You are offline, and this model has not been downloaded yet \(\/models\/snow\/model\.json\)/);
      expect(e.message).toContain('Go online once');
      expect(e.message).toContain('"Make every model available offline"');
      expect(isOfflineMessage(e.message)).toBe(true);
    });

    it('online, the same failure keeps its own message', async () => {
      const e = await failure(httpSource('/models/snow', networkError, STALL_MS, () => true));
      expect(e.kind).toBe('unreachable');
      expect(e.message).toBe('Could not reach /models/snow/model.json: Failed to fetch');
      expect(isOfflineMessage(e.message)).toBe(false);
    });

    it('offline, an answer that is not a network failure keeps its message (HTTP, a broken body, a stall, a cancel)', async () => {
      const http = (async () => new Response('nope', { status: 404, statusText: 'Not Found' })) as typeof fetch;
      expect((await failure(httpSource('/m', http, STALL_MS, () => false))).kind).toBe('unreachable');
      const broken = (async () => {
        throw new Error('body stream broke');
      }) as typeof fetch;
      expect((await failure(httpSource('/m', broken, STALL_MS, () => false))).message).toBe('Could not reach /m/model.json: body stream broke');
      const silent = (async (_url: string, init?: RequestInit) =>
        new Response(
          new ReadableStream<Uint8Array>({
            start(controller) {
              init?.signal?.addEventListener('abort', () => controller.error(new TypeError('network error')));
            },
          }),
        )) as typeof fetch;
      expect((await failure(httpSource('/m', silent, 40, () => false))).kind).toBe('stalled');
      const cancel = new AbortController();
      const read = httpSource('/m', silent, STALL_MS, () => false).read('a.bin', undefined, cancel.signal);
      cancel.abort();
      expect(((await read.catch((err: unknown) => err)) as ModelLoadError).kind).toBe('cancelled');
    });
  });

  it('streams the body and reports bytes as they arrive', async () => {
    const body = new Uint8Array(300_000).fill(7);
    const fakeFetch = (async () => new Response(body, { headers: { 'content-length': String(body.byteLength) } })) as typeof fetch;
    const seen: number[] = [];
    const buf = await httpSource('/m/', fakeFetch).read('x.bin', (loaded) => seen.push(loaded));
    expect(buf.byteLength).toBe(300_000);
    expect(seen.at(-1)).toBe(300_000);
  });
});

describe('forwardFlops', () => {
  it('counts the shipped blur network at 128×128 (6.7 GFLOP per image) and the space-to-depth variant at 2.2× less', async () => {
    const { forwardFlops } = await import('./manifest');
    const blur = forwardFlops({ architecture: 'unet', channels: [32, 64, 128, 128], embedDim: 64, timeDim: 128, T: 40 }, 128);
    expect(blur / 1e9).toBeCloseTo(6.73, 1);
    const s2d = forwardFlops({ architecture: 'unet', channels: [48, 96, 128, 128], embedDim: 64, timeDim: 128, T: 40, spaceToDepth: 2 }, 128);
    expect(blur / s2d).toBeGreaterThan(2);
    expect(blur / s2d).toBeLessThan(2.6);
  });
});

describe('sha256Hex', () => {
  it('gives the standard digest, natively or in JavaScript', async () => {
    expect(await sha256Hex(new TextEncoder().encode('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    const subtle = Object.getOwnPropertyDescriptor(globalThis, 'crypto');
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 31) % 251);
    const native = await sha256Hex(bytes);
    // Without crypto.subtle (a page on plain HTTP): the JavaScript digest, the same.
    Object.defineProperty(globalThis, 'crypto', { value: {}, configurable: true });
    try {
      expect(await sha256Hex(bytes)).toBe(native);
    } finally {
      Object.defineProperty(globalThis, 'crypto', subtle!);
    }
  });
});
