import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { SWEEP_SAMPLERS, type StepSweep, type SweepPoint, type SweepSampler } from '../core/engine/stepSweep';
import { EXACT_DB } from '../core/metrics';
import { useSweepStore } from '../state/sweepStore';
import { AXIS_STYLE, LEGEND, lineStyle, SERIES_COLOURS } from './ErrorChart';
import { sweepReading } from './sweepReading';
import './stepSweep.css';

interface SweepChartSpec {
  id: string;
  title: string;
  unit: string;
  value(point: SweepPoint, sampler: SweepSampler): number;
}

const SWEEP_CHARTS: SweepChartSpec[] = [
  { id: 'psnr', title: 'Final PSNR against the original (dB, higher is better)', unit: 'dB', value: (p, s) => p.psnr[s] },
  { id: 'sharpness', title: 'Sharpness: Laplacian energy relative to the original (1 = as sharp)', unit: 'ratio', value: (p, s) => p.sharpness[s] },
];

const SERIES_LABELS: Record<SweepSampler, string> = { naive: 'naive', improved: 'improved', direct: 'direct (one call)' };

function SweepChart({ spec, sweep }: { spec: SweepChartSpec; sweep: StepSweep }) {
  const box = useRef<HTMLDivElement>(null);
  const counts = useMemo(() => sweep.points.map((p) => p.steps), [sweep]);
  // An exact PSNR (the oracle: the original itself) has no place on the axis; the sentence above says so.
  const data = useMemo<uPlot.AlignedData>(
    () => [counts, ...SWEEP_SAMPLERS.map((s) => sweep.points.map((p) => (spec.unit === 'dB' && p.psnr[s] >= EXACT_DB ? null : spec.value(p, s))))],
    [counts, spec, sweep],
  );
  useEffect(() => {
    const el = box.current!;
    const size = () => ({ width: Math.max(240, el.clientWidth), height: 190 });
    // Not hovering, the legend reads every level (n = t): the paper's samplers.
    const last = counts.length - 1;
    const opts: uPlot.Options = {
      ...size(),
      cursor: { sync: { key: 'step-sweep' }, drag: { x: false, y: false } },
      legend: LEGEND,
      // Counts double: a base-2 axis spaces them evenly.
      // Ends at n = t, not at the next power of two.
      scales: { x: { time: false, distr: 3, log: 2, range: (): uPlot.Range.MinMax => [counts[0] ?? 1, counts[last] ?? 1] } },
      axes: [
        { label: 'steps n from t to 0', ...AXIS_STYLE, splits: () => counts },
        { label: spec.unit, ...AXIS_STYLE, size: 56 },
      ],
      series: [
        { label: 'steps' },
        ...SWEEP_SAMPLERS.map((s) => ({
          label: SERIES_LABELS[s],
          ...lineStyle(SERIES_COLOURS[s], s === 'direct'),
          // Sharpness ratios can be tiny (blur): two significant digits, not two decimals.
          value: (_u: uPlot, v: number | null) => (v === null ? '–' : spec.unit === 'dB' ? v.toFixed(1) : v.toPrecision(2)),
        })),
      ],
      hooks: {
        setCursor: [
          (u) => {
            if (u.cursor.idx === null || u.cursor.idx === undefined) u.setLegend({ idx: last }, false);
          },
        ],
      },
    };
    const u = new uPlot(opts, data, el);
    u.setLegend({ idx: last }, false);
    const resize = new ResizeObserver(() => u.setSize(size()));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
    };
  }, [counts, data, spec]);
  const pointsOf = (s: SweepSampler) => (data[SWEEP_SAMPLERS.indexOf(s) + 1] as (number | null)[]).filter((v) => v !== null).length;
  return (
    <figure
      className="chart"
      data-testid={`sweep-chart-${spec.id}`}
      data-counts={counts.join(',')}
      data-points-naive={pointsOf('naive')}
      data-points-improved={pointsOf('improved')}
      data-points-direct={pointsOf('direct')}
    >
      <figcaption>{spec.title}</figcaption>
      <div ref={box} className="chart-box" />
    </figure>
  );
}

/**
 * "How many steps?": for the picture, transform and restorer on screen, each sampler's final result
 * against the number of steps from t to 0, computed in the worker when the view opens.
 */
export function StepSweepView() {
  const status = useSweepStore((s) => s.status);
  return (
    <section className="step-sweep panel" data-testid="step-sweep" aria-label="How many steps?">
      <header>
        <b>How many steps?</b>
        <small>
          Why iterate when the network predicts x̂₀ in one call (the authors&apos; issue #14)? Each sampler&apos;s final result for n steps from t to 0,
          measured on this picture; direct is that one call.
        </small>
      </header>
      {status.kind === 'waiting' && (
        <p className="metric" role="status" data-testid="sweep-status">
          waiting for the run on screen to finish…
        </p>
      )}
      {status.kind === 'computing' && (
        <p className="metric sweep-progress" role="status" data-testid="sweep-status">
          <progress value={status.progress.done} max={status.progress.total} aria-label="network calls done" />
          computing: {status.progress.done} of {status.progress.total} network calls
        </p>
      )}
      {status.kind === 'failed' && (
        <p className="metric" role="alert" data-testid="sweep-status">
          Could not compute it: {status.message}
        </p>
      )}
      {status.kind === 'unavailable' && (
        <p className="metric" data-testid="sweep-status">
          {status.why}
        </p>
      )}
      {status.kind === 'done' && (
        <>
          <p className="sweep-reading" data-testid="sweep-reading">
            {sweepReading(status.result)}
          </p>
          <div className="charts">
            {SWEEP_CHARTS.map((spec) => (
              <SweepChart key={spec.id} spec={spec} sweep={status.result} />
            ))}
          </div>
        </>
      )}
    </section>
  );
}
