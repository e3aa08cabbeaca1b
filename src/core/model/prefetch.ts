import { ModelLoadError, type FileSource } from './loader';
import { parseManifest } from './manifest';

interface Pending {
  promise: Promise<ArrayBuffer>;
  loaded: number;
  total: number;
  listeners: Set<(loaded: number, total: number) => void>;
}

/** A model's files read ahead, each handed over once to the load that asks for it. */
export interface PrefetchedSource extends FileSource {
  /** Stops the reads still under way (their readers get the cancellation as a download error would be). */
  abort(): void;
}

/**
 * Starts reading a model's files (model.json, then the shards it lists) before anything asks for
 * them: on a start, the bytes arrive while the backend compiles, instead of after it. Nothing is
 * checked here: the load that reads them (loader.ts) checks them as it would a fresh download,
 * and a file that was not read ahead, or a second read of one, goes to `source`.
 */
export function prefetchModelFiles(source: FileSource): PrefetchedSource {
  const controller = new AbortController();
  const files = new Map<string, Pending>();
  const start = (name: string): Pending => {
    const pending: Pending = { promise: Promise.resolve(new ArrayBuffer(0)), loaded: 0, total: 0, listeners: new Set() };
    pending.promise = source.read(
      name,
      (loaded, total) => {
        pending.loaded = loaded;
        pending.total = total;
        for (const listener of pending.listeners) listener(loaded, total);
      },
      controller.signal,
    );
    // Unread, a failure is nobody's to report; read, it reaches the reader.
    pending.promise.catch(() => undefined);
    files.set(name, pending);
    return pending;
  };
  start('model.json')
    .promise.then((buffer) => {
      const manifest = parseManifest(JSON.parse(new TextDecoder().decode(buffer)));
      for (const name of manifest.weightsManifest.flatMap((g) => g.paths)) if (!files.has(name)) start(name);
    })
    // A manifest that cannot be read or parsed: the load reads it again and says why.
    .catch(() => undefined);
  return {
    location: source.location,
    abort: () => controller.abort(),
    read(name, onBytes, signal) {
      const pending = files.get(name);
      if (!pending) return source.read(name, onBytes, signal);
      files.delete(name);
      if (onBytes) {
        pending.listeners.add(onBytes);
        if (pending.loaded > 0) onBytes(pending.loaded, pending.total);
      }
      if (!signal) return pending.promise;
      // The reader may give up (a newer run needs another model); the read ahead is then stopped too.
      return new Promise<ArrayBuffer>((resolve, reject) => {
        const cancel = () => {
          controller.abort();
          reject(new ModelLoadError(`${source.location}${name}: download cancelled`, 'cancelled'));
        };
        if (signal.aborted) return cancel();
        signal.addEventListener('abort', cancel, { once: true });
        pending.promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', cancel));
      });
    },
  };
}
