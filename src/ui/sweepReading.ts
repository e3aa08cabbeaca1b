import { EXACT_DB } from '../core/metrics';
import type { StepSweep } from '../core/engine/stepSweep';

/** Changes smaller than this (dB) read as none: below what the chart's axis shows. */
const NEGLIGIBLE_DB = 0.05;

function change(what: string, from: number, to: number): string {
  const d = to - from;
  if (Math.abs(d) < NEGLIGIBLE_DB) return `${what} stays at ${to.toFixed(1)} dB`;
  return `${what} ${d > 0 ? 'gains' : 'loses'} ${Math.abs(d).toFixed(1)} dB (${from.toFixed(1)} → ${to.toFixed(1)})`;
}

/** The sweep in one sentence: what going from one step to every level does to each sampler, beside one network call. */
export function sweepReading(sweep: StepSweep): string {
  const first = sweep.points[0];
  const last = sweep.points.at(-1);
  if (!first || !last) return 'Nothing was measured.';
  if (sweep.points.every((p) => Object.values(p.psnr).every((v) => v >= EXACT_DB))) {
    return 'Every sampler returns the original exactly for every number of steps: the restorer is the oracle.';
  }
  const direct = `one network call (direct) gives ${first.psnr.direct.toFixed(1)} dB`;
  if (first === last) return `With t = ${sweep.t} there is one step only: naive ${first.psnr.naive.toFixed(1)} dB, improved ${first.psnr.improved.toFixed(1)} dB; ${direct}.`;
  return `From 1 to ${last.steps} steps here, ${change('improved', first.psnr.improved, last.psnr.improved)} and ${change('naive', first.psnr.naive, last.psnr.naive)}; ${direct}.`;
}
