import type { ExportStrip } from '../core/export/layout';
import type { ExportReply, ExportRequest } from './export.worker';

/** What to make, and at which whole scale (src/core/export/layout.ts: EXPORT_SCALES). */
type Job = ({ kind: 'gif'; fps: number } | { kind: 'sheet' } | { kind: 'frame'; frame: number }) & { scale: number };

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (b: Blob) => void; reject: (e: Error) => void }>();

/** Encodes in a worker of its own (started on first use), so the page and the sampler keep going. */
export function encodeExport(strip: ExportStrip, job: Job): Promise<Blob> {
  if (!worker) {
    worker = new Worker(new URL('./export.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (e: MessageEvent<ExportReply>) => {
      const p = pending.get(e.data.id);
      pending.delete(e.data.id);
      if ('blob' in e.data) p?.resolve(e.data.blob);
      else p?.reject(new Error(e.data.error));
    };
    worker.onerror = (e) => {
      for (const p of pending.values()) p.reject(new Error(e.message || 'the export worker failed'));
      pending.clear();
      worker = null;
    };
  }
  const id = ++nextId;
  const request = { id, strip, ...job } as ExportRequest;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker!.postMessage(request);
  });
}

/** Saves a Blob under a name, as a download. */
export function download(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
