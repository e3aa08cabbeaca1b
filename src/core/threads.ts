/**
 * How many threads tfjs-wasm gets. Two threads on an idle 2-core machine ran a forward 1.5-1.8×
 * faster than one, but with another process busy on one of the two cores they ran slower than
 * one (docs/design.md, "Threads in tfjs-wasm"). So the count follows the cores that are free
 * when the backend starts, measured by briefly spinning one worker per core (freeCores.ts).
 */
export interface ThreadsInput {
  /** self.crossOriginIsolated: threads need SharedArrayBuffer, which needs isolation. */
  isolated: boolean;
  hardwareConcurrency: number;
  /** Cores found free by the spin test (≈ hardwareConcurrency when idle); null when not measured. */
  freeCores: number | null;
  /** A count asked for explicitly (benchmarks, tests); wins where threads are possible. */
  requested?: number | null;
}

export interface ThreadsChoice {
  threads: number;
  /** Shown beside the backend: why this many. */
  reason: string;
  /** Something the visitor could change (isolation missing); null when nothing is wrong. */
  limitation: string | null;
}

/** tfjs-wasm's threaded build starts a pool of 8 workers; more threads than that start late. */
export const MAX_WASM_THREADS = 8;

export function chooseWasmThreads({ isolated, hardwareConcurrency, freeCores, requested }: ThreadsInput): ThreadsChoice {
  const cores = Math.max(1, Math.floor(hardwareConcurrency || 1));
  if (!isolated) {
    return {
      threads: 1,
      reason: '1 thread (the page is not cross-origin isolated)',
      limitation: 'WASM runs on one thread: the server does not send the cross-origin isolation headers (see the README), so the other cores stay idle.',
    };
  }
  const cap = Math.min(cores, MAX_WASM_THREADS);
  if (requested != null && Number.isInteger(requested) && requested >= 1) {
    const threads = Math.min(requested, MAX_WASM_THREADS);
    return { threads, reason: `${threadsLabel(threads)} (asked for)`, limitation: null };
  }
  if (cores === 1) return { threads: 1, reason: '1 thread (one core)', limitation: null };
  if (freeCores == null || !Number.isFinite(freeCores)) return { threads: 1, reason: '1 thread (free cores not measured)', limitation: null };
  const threads = Math.max(1, Math.min(cap, Math.round(freeCores)));
  const busy = threads < cap ? `: ${freeCores.toFixed(1)} of ${cores} cores were free` : ` of ${cores} cores`;
  return { threads, reason: `${threadsLabel(threads)}${busy}`, limitation: null };
}

export function threadsLabel(n: number): string {
  return n === 1 ? '1 thread' : `${n} threads`;
}
