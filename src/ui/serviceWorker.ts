import type { AppStore } from '../state/store';

/** Without a finished run (a slow model, a failing backend), the offline store is set up after this long anyway. */
const REGISTER_AT_THE_LATEST_MS = 15_000;

let registration: Promise<ServiceWorkerRegistration | undefined> | null = null;

/**
 * Registers the service worker that keeps the app for offline use (built by vite-plugin-pwa). Its install
 * fetches the whole app (about 4.5 MB: WASM, fonts, samples), which on a phone's network and CPU competed with
 * the model's download and the first run: it waits for them (issue 28).
 */
export function registerServiceWorker(): Promise<ServiceWorkerRegistration | undefined> {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return Promise.resolve(undefined);
  registration ??= navigator.serviceWorker.register(`${import.meta.env.BASE_URL}sw.js`, { scope: import.meta.env.BASE_URL }).catch(() => undefined);
  return registration;
}

/** Once the first run has finished (or after REGISTER_AT_THE_LATEST_MS), when the browser is idle. */
export function registerServiceWorkerAfterFirstRun(store: AppStore): void {
  const register = () => {
    unsubscribe();
    clearTimeout(timer);
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void registerServiceWorker(), { timeout: 5_000 });
    else setTimeout(() => void registerServiceWorker(), 200);
  };
  const unsubscribe = store.subscribe((s) => s.runDone && register());
  const timer = setTimeout(register, REGISTER_AT_THE_LATEST_MS);
  if (store.getState().runDone) register();
}
