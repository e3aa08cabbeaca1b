/// <reference lib="webworker" />
import type { EngineEvent } from '../core/engine/events';
import { localPainter, PainterStopped, type StepPainter } from '../core/engine/stepPainter';
import type { PainterReply, PainterRequest } from './stepPainterProtocol';

/**
 * A StepPainter in a worker of its own (stepPainter.worker.ts), started by the sampler's worker: the
 * pictures of step s are made, and posted to the page through `outlet`, while step s + 1's forward
 * runs. Where that worker cannot start or fails, runs from the next one on are painted here, as before
 * (slower, nothing lost); the run under way when it fails ends with PainterStopped (its residuals need
 * the steps the worker held), which the engine answers by running it again. An event sent after the
 * frames that the worker had not confirmed is sent here instead.
 */
export function remotePainter(outlet: MessagePort, start: () => Worker = () => new Worker(new URL('./stepPainter.worker.ts', import.meta.url), { type: 'module' })): StepPainter {
  const here = localPainter();
  let worker: Worker | null = null;
  let failed = false;
  /** Why the run under way cannot be painted (its painter stopped); null once a run begins here. */
  let stopped: string | null = null;
  let nextId = 0;
  const pending = new Map<number, { resolve: (sent: { sentAt: number }) => void; reject: (e: Error) => void }>();
  /** Events after the frames (a run's end) not yet confirmed sent, with the way to send them here. */
  const unsentAfter = new Map<number, { event: EngineEvent; emit: (event: EngineEvent) => void }>();

  const fail = (why: string) => {
    failed = true;
    worker?.terminate();
    worker = null;
    stopped = `the pictures' worker stopped: ${why}`;
    for (const { reject } of pending.values()) reject(new PainterStopped(stopped));
    pending.clear();
    for (const { event, emit } of unsentAfter.values()) emit(event);
    unsentAfter.clear();
  };
  const send = (w: Worker, msg: PainterRequest, transfer: Transferable[] = []) => w.postMessage(msg, transfer);
  const ensure = (): Worker | null => {
    if (failed) return null;
    if (worker) return worker;
    try {
      worker = start();
    } catch (e) {
      fail((e as Error).message || String(e));
      return null;
    }
    worker.onmessage = (e: MessageEvent<PainterReply>) => {
      const reply = e.data;
      if ('error' in reply) return fail(reply.error);
      unsentAfter.delete(reply.id);
      pending.get(reply.id)?.resolve({ sentAt: reply.sentAt });
      pending.delete(reply.id);
    };
    worker.onerror = (e) => {
      e.preventDefault();
      fail(e.message || 'it failed to start');
    };
    send(worker, { type: 'outlet', port: outlet }, [outlet]);
    return worker;
  };

  return {
    get aside() {
      return !failed;
    },
    prepare: () => void ensure(),
    begin: (runStart) => {
      const w = ensure();
      stopped = null;
      if (w) send(w, { type: 'begin', start: runStart });
      else here.begin(runStart);
    },
    paint: (floats, envelope, emit) => {
      if (stopped) return Promise.reject(new PainterStopped(stopped));
      const w = ensure();
      if (!w) return here.paint(floats, envelope, emit);
      const id = nextId++;
      const buffers = [floats.truth, floats.directPath, floats.xt, floats.x0, floats.atS, floats.atPrev].filter((a): a is Float32Array => a !== null).map((a) => a.buffer as ArrayBuffer);
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        send(w, { type: 'paint', id, floats, envelope }, [...new Set(buffers)]);
      });
    },
    after: (event, emit) => {
      if (!worker || failed) return emit(event);
      const id = nextId++;
      unsentAfter.set(id, { event, emit });
      send(worker, { type: 'after', id, event });
    },
  };
}
