/// <reference lib="webworker" />
/**
 * How many cores are free right now: one worker spins alone, then `count` spin at once; the sum
 * of their speeds relative to the solo run is the number of cores they really got (≈ count when
 * idle; ≈ 1.3 on 2 cores with another process busy on one). About 0.1-0.2 s, once per backend start.
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

export async function measureFreeCores(count: number, iterations = 1e7, rounds = 5, timeoutMs = 3000): Promise<number | null> {
  if (count < 2 || typeof Worker === 'undefined') return count >= 1 ? 1 : null;
  const url = URL.createObjectURL(new Blob([SPINNER], { type: 'text/javascript' }));
  const workers: Worker[] = [];
  const timeout = new Promise<null>((resolve) => setTimeout(() => resolve(null), timeoutMs));
  try {
    const measure = async () => {
      for (let i = 0; i < count; i++) workers.push(new Worker(url));
      await Promise.all(workers.map((w) => spin(w, iterations / 10))); // start-up and JIT
      // Best of several short rounds: the page's own start-up (parsing, decoding, a download)
      // comes in bursts and should not count as load; another program's load lasts.
      let solo = Infinity;
      for (let r = 0; r < rounds; r++) solo = Math.min(solo, await spin(workers[0]!, iterations));
      const best = workers.map(() => Infinity);
      for (let r = 0; r < rounds; r++) {
        const times = await Promise.all(workers.map((w) => spin(w, iterations)));
        times.forEach((ms, i) => (best[i] = Math.min(best[i]!, ms)));
      }
      return best.reduce((sum, ms) => sum + Math.min(1, solo / ms), 0);
    };
    return await Promise.race([measure(), timeout]);
  } catch {
    return null;
  } finally {
    for (const w of workers) w.terminate();
    URL.revokeObjectURL(url);
  }
}
