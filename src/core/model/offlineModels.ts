/**
 * Offline use of the models: what a load that failed offline says, and "Make every model available
 * offline" (fetch every model file through the page, so the service worker keeps it in its cache).
 * No tfjs here: the page imports this.
 */

/** One file under models/, as the build found it (path relative to models/). */
export interface ModelFile {
  path: string;
  bytes: number;
}

/**
 * Every model folder and the files a run needs (model.json, its shards, a picture pool), with
 * their sizes: written at build time from public/models (src/core/model/modelIndexBuild.ts), the
 * one list of what "every model" means.
 */
export interface ModelIndex {
  models: { id: string; files: ModelFile[] }[];
  totalBytes: number;
}

/** The service worker's runtime cache for models/ (vite.config.ts): what the check below reads. */
export const MODELS_CACHE = 'models';

export const MAKE_OFFLINE_LABEL = 'Make every model available offline';

const OFFLINE_LEAD = 'You are offline, and this model has not been downloaded yet';

/** What a model file that could not be fetched while offline says (the file, and what to do). */
export function offlineMessage(url: string): string {
  return `${OFFLINE_LEAD} (${url}). Go online once to fetch it, or, while online, use "${MAKE_OFFLINE_LABEL}" beforehand.`;
}

/** A message that already tells the visitor what happened and what to do (no "could not be loaded" before it). */
export function isOfflineMessage(message: string): boolean {
  return message.startsWith(OFFLINE_LEAD);
}

export function allFiles(index: ModelIndex): ModelFile[] {
  return index.models.flatMap((m) => m.files);
}

/** Megabytes of 1024 × 1024 bytes, one decimal: "40.4 MB" (as the page's model status counts them). */
export function formatMB(bytes: number): string {
  return `${toMB(bytes)} MB`;
}

/** The number formatMB shows, without the unit ("12.3 / 40.4 MB"). */
export function toMB(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(1);
}

/** Absolute URL of a file of the index, as the worker requests it (the service worker's cache key). */
export function modelFileUrl(file: ModelFile, modelsBase: string): string {
  return new URL(file.path, modelsBase).href;
}

/** The files of the index the cache does not hold. */
export async function missingFiles(index: ModelIndex, modelsBase: string, inCache: (url: string) => Promise<boolean>): Promise<ModelFile[]> {
  const files = allFiles(index);
  const present = await Promise.all(files.map((f) => inCache(modelFileUrl(f, modelsBase))));
  return files.filter((_, i) => !present[i]);
}

export class OfflineDownloadError extends Error {
  override name = 'OfflineDownloadError';
  constructor(
    message: string,
    /** The file that failed (path under models/), or null when it was not one file. */
    readonly file: string | null,
  ) {
    super(message);
  }
}

/**
 * Fetches `files` (a few at a time), reading each body to its end so the service worker, which
 * answers these requests, caches them. Reports bytes read so far; one failed file stops the
 * others and is named in the error.
 */
export async function fetchFiles(
  files: ModelFile[],
  modelsBase: string,
  options: { fetchImpl?: typeof fetch; onBytes?: (loaded: number) => void; concurrency?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const { fetchImpl = fetch, onBytes, concurrency = 4, signal } = options;
  const stop = new AbortController();
  const cancel = () => stop.abort();
  signal?.addEventListener('abort', cancel);
  let loaded = 0;
  let next = 0;
  // An object, not a let: TypeScript would keep its narrowing to null across the awaits.
  const failed: { error: OfflineDownloadError | null } = { error: null };
  const one = async (file: ModelFile) => {
    const url = modelFileUrl(file, modelsBase);
    try {
      const response = await fetchImpl(url, { signal: stop.signal });
      if (!response.ok) throw new Error(`HTTP ${response.status} ${response.statusText}`.trim());
      if (!response.body) {
        loaded += (await response.arrayBuffer()).byteLength;
        onBytes?.(loaded);
        return;
      }
      const reader = response.body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        loaded += value.byteLength;
        onBytes?.(loaded);
      }
    } catch (e) {
      if (failed.error) return;
      const why = signal?.aborted ? 'cancelled' : (e as Error).message;
      failed.error = new OfflineDownloadError(`Could not download models/${file.path}: ${why}`, file.path);
      stop.abort();
    }
  };
  const lane = async () => {
    while (!failed.error && next < files.length) await one(files[next++]!);
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, files.length) }, lane));
  } finally {
    signal?.removeEventListener('abort', cancel);
  }
  if (failed.error) throw failed.error;
}
