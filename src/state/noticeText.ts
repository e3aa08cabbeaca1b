import { BACKEND_LABELS, type BackendChoice, type BackendName } from '../core/backend';
import { isOfflineMessage } from '../core/model/offlineModels';

/** What the page tells the visitor about the worker's events: the wording in one place. */
export const NOTICE_TEXT = {
  backendFallback: (name: BackendName, reason: string) => `Running on ${BACKEND_LABELS[name]}: ${reason}`,
  backendUnavailable: (chosen: BackendName, running: BackendName) => `${BACKEND_LABELS[chosen]} is not available in this browser; running on ${BACKEND_LABELS[running]}.`,
  linkImageUnreadable: (why: string) => `The image in the link could not be read (${why}); showing the gallery image instead.`,
  linkImageNotImageData: 'it is not image data',
  // Offline, the loader's message says what happened and what to do, in a sentence of its own.
  modelFailed: (message: string) => (isOfflineMessage(message) ? message : `The model could not be loaded: ${message}`),
  workerFailed: (message: string) => `The sampler worker failed: ${message}`,
} as const;

/** The backend notices for a started backend: why it is not the first choice, and what keeps it slow. */
export function backendNotices(running: BackendName, chosen: BackendChoice, reason: string | null, limitation: string | null): { level: 'warning' | 'info'; text: string }[] {
  const out: { level: 'warning' | 'info'; text: string }[] = [];
  if (reason) out.push({ level: 'warning', text: NOTICE_TEXT.backendFallback(running, reason) });
  else if (chosen !== 'auto' && chosen !== running) out.push({ level: 'warning', text: NOTICE_TEXT.backendUnavailable(chosen, running) });
  if (limitation) out.push({ level: 'info', text: limitation });
  return out;
}
