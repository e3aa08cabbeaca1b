import { describe, expect, it } from 'vitest';
import { fetchFiles, formatMB, missingFiles, OfflineDownloadError, type ModelIndex } from './offlineModels';

const index: ModelIndex = {
  models: [
    { id: 'a', files: [{ path: 'a/model.json', bytes: 10 }, { path: 'a/s.bin', bytes: 1000 }] },
    { id: 'b', files: [{ path: 'b/model.json', bytes: 20 }, { path: 'b/pool.bin', bytes: 2000 }] },
  ],
  totalBytes: 3030,
};
const files = index.models.flatMap((m) => m.files);
const BASE = 'http://localhost/models/';

describe('making every model available offline', () => {
  it('sizes read as megabytes of 1024 × 1024 bytes, as the model status shows them', () => {
    expect(formatMB(42_380_791)).toBe('40.4 MB');
    expect(formatMB(5_183_455)).toBe('4.9 MB');
    expect(formatMB(0)).toBe('0.0 MB');
  });

  it('finds the files the cache lacks, by the URL the worker asks for', async () => {
    const cached = new Set(['http://localhost/models/a/model.json', 'http://localhost/models/a/s.bin']);
    const missing = await missingFiles(index, BASE, async (url) => cached.has(url));
    expect(missing.map((f) => f.path)).toEqual(['b/model.json', 'b/pool.bin']);
  });

  it('fetches every file to its end and reports the bytes read', async () => {
    const asked: string[] = [];
    const fakeFetch = (async (url: string) => {
      asked.push(url);
      const size = files.find((f) => url.endsWith(f.path))!.bytes;
      return new Response(new Uint8Array(size));
    }) as typeof fetch;
    const seen: number[] = [];
    await fetchFiles(files, BASE, { fetchImpl: fakeFetch, onBytes: (n) => seen.push(n), concurrency: 2 });
    expect(asked.sort()).toEqual(files.map((f) => BASE + f.path).sort());
    expect(seen.at(-1)).toBe(3030);
  });

  it('names the file that failed, and starts no more', async () => {
    const asked: string[] = [];
    const fakeFetch = (async (url: string) => {
      asked.push(url);
      if (url.endsWith('a/s.bin')) return new Response('gone', { status: 404, statusText: 'Not Found' });
      return new Response(new Uint8Array(5));
    }) as typeof fetch;
    const e = (await fetchFiles(files, BASE, { fetchImpl: fakeFetch, concurrency: 1 }).catch((err: unknown) => err)) as OfflineDownloadError;
    expect(e).toBeInstanceOf(OfflineDownloadError);
    expect(e.file).toBe('a/s.bin');
    expect(e.message).toBe('Could not download models/a/s.bin: HTTP 404 Not Found');
    expect(asked).toHaveLength(2);
  });

  it('a network failure names the file too', async () => {
    const fakeFetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof fetch;
    await expect(fetchFiles(files, BASE, { fetchImpl: fakeFetch })).rejects.toThrow('Could not download models/a/model.json: Failed to fetch');
  });
});
