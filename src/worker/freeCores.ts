/// <reference lib="webworker" />
/**
 * How many cores are free right now: one worker spins alone, then `count` spin at once; the sum
 * of their speeds relative to the solo run is the number of cores they really got (≈ count when
 * idle; ≈ 1.3 on 2 cores with another process busy on one). Once per page, when WASM first starts.
 */
const SPINNER = `onmessage = (e) => {
  const n = e.data; let x = 1; const t0 = performance.now();
  for (let i = 0; i < n; i++) x = (Math.imul(x, 1664525) + 1013904223) | 0;
  postMessage({ ms: performance.now() - t0, x });
};`;

function spin(worker: Worker, iterations: number): Promise<number> {
  return new Promise((resolve, reject) => {
    worker.onmessage = (e: MessageEvent<{ ms: number }>) => resolve(Math.max(e.data.ms, 0.01));
    worker.onerror = (e) => reject(new Error(e.message || 'spinner failed'));
    worker.postMessage(iterations);
  });
}

/** Spinners made and warmed up ahead (made under load, a worker takes 0.1-0.5 s to start), shared by the looks. */
let spinners: { count: number; workers: Worker[]; warm: Promise<unknown> } | null = null;
/** Spinners left alone this long are let go (a start that never runs WASM). */
const SPINNERS_IDLE_MS = 20_000;
let idleTimer: ReturnType<typeof setTimeout> | undefined;

/** Starts `count` spinners now (as the worker starts), so a look later measures instead of waiting for them. */
export function prepareSpinners(count: number, iterations = 4e5): void {
  if (count < 2 || typeof Worker === 'undefined' || spinners?.count === count) return;
  releaseSpinners();
  const url = URL.createObjectURL(new Blob([SPINNER], { type: 'text/javascript' }));
  const workers = Array.from({ length: count }, () => new Worker(url));
  URL.revokeObjectURL(url);
  // The first spin of each: its start-up and JIT, never measured.
  spinners = { count, workers, warm: Promise.all(workers.map((w) => spin(w, iterations))) };
  idleTimer = setTimeout(releaseSpinners, SPINNERS_IDLE_MS);
}

export function releaseSpinners(): void {
  clearTimeout(idleTimer);
  for (const w of spinners?.workers ?? []) w.terminate();
  spinners = null;
}

/**
 * Spins of about 13 ms (1.2e7 steps on a 2-core EPYC) and the median of 5 parallel rounds: a spinner
 * that wakes runs ahead of a busy program for a few ms (the scheduler's credit for sleepers), so the
 * best of short spins read an idle machine under a program that held a core (2.0 of 2 free in 3 of
 * 3 starts). Measured under Node (2026-12-06, bench/NOTES.md): idle 1.96-2.00, one core held 1.09-1.34.
 */
export async function measureFreeCores(count: number, iterations = 1.2e7, parallelRounds = 5, timeoutMs = 3000): Promise<number | null> {
  if (count < 2 || typeof Worker === 'undefined') return count >= 1 ? 1 : null;
  prepareSpinners(count);
  const { workers, warm } = spinners!;
  clearTimeout(idleTimer);
  idleTimer = setTimeout(releaseSpinners, SPINNERS_IDLE_MS);
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
  const measure = async () => {
    await warm;
    // A free core's speed: the best of a few solo spins.
    let solo = Infinity;
    for (let r = 0; r < 3; r++) solo = Math.min(solo, await spin(workers[0]!, iterations));
    const times: number[][] = workers.map(() => []);
    for (let r = 0; r < parallelRounds; r++) (await Promise.all(workers.map((w) => spin(w, iterations)))).forEach((ms, i) => times[i]!.push(ms));
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return times.reduce((sum, ms) => sum + Math.min(1, solo / median(ms)), 0);
  };
  try {
    return await Promise.race([measure(), timeout]);
  } catch {
    releaseSpinners();
    return null;
  }
}
