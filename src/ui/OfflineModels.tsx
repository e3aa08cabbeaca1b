import { useEffect, useRef, useState } from 'react';
import modelIndex from 'virtual:model-index';
import { fetchFiles, formatMB, MAKE_OFFLINE_LABEL, missingFiles, MODELS_CACHE, OfflineDownloadError, toMB, type ModelFile } from '../core/model/offlineModels';
import { registerServiceWorker } from './serviceWorker';

type State =
  | { phase: 'checking' }
  | { phase: 'idle'; cachedBytes: number }
  | { phase: 'downloading'; loaded: number }
  | { phase: 'done' }
  | { phase: 'error'; message: string };

const sum = (files: ModelFile[]) => files.reduce((s, f) => s + f.bytes, 0);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether the service worker's cache holds this URL (Cache Storage, the cache it writes models to). */
const inCache = async (url: string) => Boolean(await caches.match(url, { cacheName: MODELS_CACHE }));

/** The service worker answers this page's requests (it claims the page once it is active); false after `ms` without. */
async function serviceWorkerInControl(ms: number): Promise<boolean> {
  const sw = navigator.serviceWorker;
  if (sw.controller) return true;
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      sw.removeEventListener('controllerchange', done);
      resolve(Boolean(sw.controller));
    };
    const timer = setTimeout(done, ms);
    sw.addEventListener('controllerchange', done);
  });
}

/**
 * "Make every model available offline": fetches every file of every model (the build's model
 * index) through the page, so that the service worker, which answers these requests, keeps them
 * in its cache; then checks that the cache holds them all. The same check, at the start, tells a
 * returning visitor that it is done already.
 */
export function OfflineModels() {
  const supported = typeof caches !== 'undefined' && typeof navigator !== 'undefined' && 'serviceWorker' in navigator;
  const [state, setState] = useState<State>({ phase: 'checking' });
  const running = useRef<AbortController | null>(null);
  const modelsBase = new URL(`${import.meta.env.BASE_URL}models/`, location.href).href;
  const total = modelIndex.totalBytes;

  useEffect(() => {
    if (!supported) return;
    let live = true;
    missingFiles(modelIndex, modelsBase, inCache)
      .then((missing) => live && setState(missing.length === 0 ? { phase: 'done' } : { phase: 'idle', cachedBytes: total - sum(missing) }))
      .catch(() => live && setState({ phase: 'idle', cachedBytes: 0 }));
    return () => {
      live = false;
      running.current?.abort();
    };
  }, [supported, modelsBase, total]);

  const start = async () => {
    const controller = new AbortController();
    running.current = controller;
    setState({ phase: 'downloading', loaded: 0 });
    try {
      await registerServiceWorker();
      if (!(await serviceWorkerInControl(10_000))) {
        const registered = Boolean(await navigator.serviceWorker.getRegistration());
        throw new OfflineDownloadError(
          registered
            ? 'The offline store (the service worker) does not answer this page yet: reload the page, then try again.'
            : 'No service worker runs for this page, so nothing can be kept for offline use (the dev server runs none; the built app does).',
          null,
        );
      }
      const missing = await missingFiles(modelIndex, modelsBase, inCache);
      const cachedBytes = total - sum(missing);
      let shown = toMB(cachedBytes);
      setState({ phase: 'downloading', loaded: cachedBytes });
      await fetchFiles(missing, modelsBase, {
        signal: controller.signal,
        onBytes: (n) => {
          // One render per 0.1 MB shown, not one per chunk.
          if (toMB(cachedBytes + n) === shown) return;
          shown = toMB(cachedBytes + n);
          setState({ phase: 'downloading', loaded: cachedBytes + n });
        },
      });
      // The service worker stores each answer just after handing it over: wait for the last ones.
      let left = await missingFiles(modelIndex, modelsBase, inCache);
      for (let i = 0; i < 40 && left.length > 0 && !controller.signal.aborted; i++) {
        await sleep(250);
        left = await missingFiles(modelIndex, modelsBase, inCache);
      }
      if (left.length > 0) {
        throw new OfflineDownloadError(`${left.length} file${left.length === 1 ? '' : 's'} did not reach the offline store (models/${left[0]!.path}${left.length > 1 ? ', …' : ''}): the service worker did not keep ${left.length === 1 ? 'it' : 'them'}.`, left[0]!.path);
      }
      setState({ phase: 'done' });
    } catch (e) {
      if (controller.signal.aborted) return;
      const offline = navigator.onLine === false ? ' You are offline: connect, then retry.' : '';
      setState({ phase: 'error', message: `${(e as Error).message.replace(/\.$/, '')}.${offline}` });
    } finally {
      if (running.current === controller) running.current = null;
    }
  };

  if (!supported || state.phase === 'checking') return null;
  return (
    <section className="offline-models" aria-label="Offline use" data-testid="offline-models">
      {state.phase === 'idle' && (
        <>
          <button type="button" onClick={start} data-testid="offline-models-start">
            {MAKE_OFFLINE_LABEL} ({formatMB(total)})
          </button>
          {state.cachedBytes > 0 && <span className="hint">{formatMB(state.cachedBytes)} of it already here</span>}
        </>
      )}
      {state.phase === 'downloading' && (
        <>
          <span>{MAKE_OFFLINE_LABEL}:</span>
          <progress max={total} value={state.loaded} aria-label="Model files downloaded for offline use" />
          <span className="metric" data-testid="offline-models-progress">
            {toMB(state.loaded)} / {formatMB(total)}
          </span>
        </>
      )}
      {/* Present from the start, so that screen readers announce what appears in it. */}
      <span role="status" className={state.phase === 'error' ? 'offline-models-error' : undefined} data-testid="offline-models-status">
        {state.phase === 'done' && 'All models are available offline'}
        {state.phase === 'error' && state.message}
      </span>
      {state.phase === 'error' && (
        <button type="button" onClick={start} data-testid="offline-models-retry">
          Retry
        </button>
      )}
    </section>
  );
}
