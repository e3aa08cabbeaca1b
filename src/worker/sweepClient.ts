import type { RunSettings } from '../core/engine/types';
import type { AppStore } from '../state/store';
import { useSweepStore } from '../state/sweepStore';
import type { WorkerEvent, WorkerRequest } from './protocol';

type SweepEvent = Extract<WorkerEvent, { type: 'sweepProgress' | 'sweep' | 'error' }>;

export interface SweepClient {
  /** A new run is coming: what was measured for the old settings no longer applies. */
  runRequested(): void;
  /** The run of these settings was sent: a sweep asked for now follows it. */
  runSent(runId: number, settings: RunSettings): void;
  /** The worker's answers about sweeps; other events are not its business. */
  onEvent(e: WorkerEvent): boolean;
  dispose(): void;
}

const isSweepEvent = (e: WorkerEvent): e is SweepEvent => e.type === 'sweepProgress' || e.type === 'sweep' || (e.type === 'error' && e.scope === 'sweep');

/**
 * "How many steps?" between the store and the worker: asked for while the view is open, for the
 * settings of the latest run, and asked again when they change; answers to older requests are ignored.
 */
export function connectSweep(store: AppStore, send: (msg: WorkerRequest) => void): SweepClient {
  const set = (status: ReturnType<typeof useSweepStore.getState>['status']) => useSweepStore.setState({ status });
  let request = 0;
  let lastRun: { runId: number; settings: RunSettings } | null = null;
  const open = () => store.getState().view.sweep;

  const ask = () => {
    ++request;
    if (!open()) return set({ kind: 'closed' });
    if (store.getState().view.mode === 'generate') return set({ kind: 'unavailable', why: 'A generated picture has no original, so its results cannot be measured: this view compares restorations.' });
    set({ kind: 'waiting' });
    if (lastRun) send({ type: 'sweep', requestId: request, ...lastRun });
  };

  const unsubscribe = store.subscribe((s, prev) => {
    if (s.view.sweep === prev.view.sweep) return;
    if (s.view.sweep) ask();
    else {
      send({ type: 'cancelSweep' });
      ask();
    }
  });
  if (open()) ask();

  return {
    runRequested() {
      lastRun = null;
      if (open()) ask();
    },
    runSent(runId, settings) {
      lastRun = { runId, settings };
      if (open()) ask();
    },
    onEvent(e) {
      if (!isSweepEvent(e)) return false;
      if (e.requestId !== request || !open()) return true;
      if (e.type === 'sweepProgress') set({ kind: 'computing', progress: e.progress });
      else if (e.type === 'sweep') set({ kind: 'done', result: e.result });
      else set({ kind: 'failed', message: e.message });
      return true;
    },
    dispose() {
      unsubscribe();
    },
  };
}
