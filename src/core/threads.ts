/**
 * How many threads tfjs-wasm gets. Two threads on an idle 2-core machine ran a step 1.5-1.8× faster than
 * one. With another program busy on one of the two cores they still ran 1.3-1.4× faster than one (244-311
 * against 324-461 ms a step, 2026-12-07, bench/NOTES.md): the scheduler shares a busy core fairly, so
 * an extra thread's share of it still adds speed. What a thread cannot use is a core it never gets
 * (a container's CPU quota, a core held at a higher priority): there two spinners share one core's
 * time. So the count follows the spin test (freeCores.ts), counting each part core as one.
 */
export interface ThreadsInput {
  /** self.crossOriginIsolated: threads need SharedArrayBuffer, which needs isolation. */
  isolated: boolean;
  hardwareConcurrency: number;
  /** Cores found free by the spin test (≈ hardwareConcurrency when idle); null when not measured. */
  freeCores: number | null;
  /** A count asked for explicitly (benchmarks, tests); wins where threads are possible. */
  requested?: number | null;
  /** The count this device's last visit measured (a return visit starts with it, without the spin test); null: none. */
  remembered?: number | null;
}

export interface ThreadsChoice {
  threads: number;
  /** Shown beside the backend: why this many. */
  reason: string;
  /** Something the visitor could change (isolation missing); null when nothing is wrong. */
  limitation: string | null;
}

/** At most this many: tfjs-wasm's threaded build was made for a pool of 8 workers (vite.config.ts now starts as many as the count chosen). */
export const MAX_WASM_THREADS = 8;

export function chooseWasmThreads({ isolated, hardwareConcurrency, freeCores, requested, remembered }: ThreadsInput): ThreadsChoice {
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
  if (freeCores == null && remembered != null && Number.isInteger(remembered) && remembered >= 1) {
    const threads = Math.min(remembered, cap);
    return { threads, reason: `${threadsLabel(threads)} (as measured on this device's last visit)`, limitation: null };
  }
  if (freeCores == null || !Number.isFinite(freeCores)) return { threads: 1, reason: '1 thread (free cores not measured)', limitation: null };
  const threads = threadsForFreeCores(freeCores, cap);
  const busy = freeCores < cap - 0.25 ? `: ${freeCores.toFixed(1)} of ${cores} cores were free` : ` of ${cores} cores`;
  return { threads, reason: `${threadsLabel(threads)}${busy}`, limitation: null };
}

/**
 * Below this much of a core over a whole number, the spinners got no more than that number of cores: one CPU's quota
 * should read 1.0 on 2 cores (two spinners sharing one core's time; not measured here), another program holding a core
 * read 1.0-1.34 (freeCores.ts; bench/NOTES.md, 2026-12-06 and 07).
 */
export const PART_CORE_MARGIN = 0.05;

/** A thread for every core the spinners got a part of (at least one, at most `cap`). */
export function threadsForFreeCores(freeCores: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.ceil(freeCores - PART_CORE_MARGIN)));
}

export function threadsLabel(n: number): string {
  return n === 1 ? '1 thread' : `${n} threads`;
}
