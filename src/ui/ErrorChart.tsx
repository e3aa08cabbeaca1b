import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { FramePixels } from '../core/engine/types';
import { useAppStore } from '../state/store';

/** Colours of the samplers' lines (the same in both charts). */
export const SERIES_COLOURS = { naive: '#d1495b', improved: '#2f6fdb', direct: '#7a8699' } as const;

interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  series: { label: string; colour: string; value: (f: FramePixels) => number | null }[];
}

const finiteOrNull = (v: number | null | undefined) => (v === null || v === undefined ? null : Number.isFinite(v) ? v : null);

/** Restoring: quality against the original and the distance from the path D(x0, s) the samplers should follow. */
const RESTORE_CHARTS: ChartSpec[] = [
  {
    id: 'psnr',
    title: 'PSNR of x_s against the original (dB, higher is better)',
    unit: 'dB',
    series: [
      { label: 'naive', colour: SERIES_COLOURS.naive, value: (f) => finiteOrNull(f.naive.psnr) },
      { label: 'improved', colour: SERIES_COLOURS.improved, value: (f) => finiteOrNull(f.improved.psnr) },
      { label: 'direct: D(x̂₀, s)', colour: SERIES_COLOURS.direct, value: (f) => finiteOrNull(f.direct?.pathPsnr ?? (f.index === 0 ? f.naive.psnr : null)) },
    ],
  },
  {
    id: 'drift',
    title: 'Distance from the true path: RMSE(x_s, D(x₀, s)) (lower is better)',
    unit: 'RMSE',
    series: [
      { label: 'naive', colour: SERIES_COLOURS.naive, value: (f) => f.naive.drift },
      { label: 'improved', colour: SERIES_COLOURS.improved, value: (f) => f.improved.drift },
      { label: 'direct: D(x̂₀, s)', colour: SERIES_COLOURS.direct, value: (f) => f.direct?.pathDrift ?? (f.index === 0 ? f.naive.drift : null) },
    ],
  },
];

/** Generating: no original, so only how well each estimate explains its own x_s. */
const GENERATE_CHARTS: ChartSpec[] = [
  {
    id: 'residual',
    title: 'How well x̂₀ explains x_s: RMS of x_s − D(x̂₀, s)',
    unit: 'RMS',
    series: [
      { label: 'naive', colour: SERIES_COLOURS.naive, value: (f) => f.naive.step?.residualRms ?? null },
      { label: 'improved', colour: SERIES_COLOURS.improved, value: (f) => f.improved.step?.residualRms ?? null },
    ],
  },
];

/** One line per sampler, one point per step computed so far, x = frame. */
function chartData(spec: ChartSpec, frames: FramePixels[], t: number): uPlot.AlignedData {
  const x = Array.from({ length: t + 1 }, (_, i) => i);
  return [x, ...spec.series.map((s) => x.map((i) => (frames[i] ? s.value(frames[i]) : null)))];
}

/** Room uPlot's legend takes below the plot when the chart fills a box of fixed height. */
const LEGEND_PX = 58;

function Chart({ spec, frames, t, frame, onSeek, fill }: { spec: ChartSpec; frames: FramePixels[]; t: number; frame: number; onSeek: (frame: number) => void; fill: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const shown = useRef(frame);
  const seek = useRef(onSeek);
  seek.current = onSeek;
  shown.current = frame;
  useEffect(() => {
    const el = box.current!;
    // fill: the layout sizes the box (presentation mode) and the plot takes its height; else a fixed height.
    const size = () => ({ width: Math.max(fill ? 160 : 240, el.clientWidth), height: fill ? Math.max(80, el.clientHeight - LEGEND_PX) : 190 });
    const opts: uPlot.Options = {
      ...size(),
      cursor: { sync: { key: 'error-charts' }, drag: { x: false, y: false } },
      scales: { x: { time: false } },
      axes: [
        { label: 'frame', stroke: 'currentColor', grid: { stroke: '#8883' }, ticks: { stroke: '#8883' } },
        { label: spec.unit, stroke: 'currentColor', grid: { stroke: '#8883' }, ticks: { stroke: '#8883' }, size: 56 },
      ],
      series: [
        { label: 'frame' },
        ...spec.series.map((s) => ({ label: s.label, stroke: s.colour, width: 2, points: { size: 4 }, value: (_u: uPlot, v: number | null) => (v === null ? '–' : v.toFixed(spec.unit === 'dB' ? 1 : 4)) })),
      ],
      hooks: {
        // The frame shown, as a vertical cursor line.
        draw: [
          (u) => {
            const x = u.valToPos(shown.current, 'x', true);
            const { ctx, bbox } = u;
            ctx.save();
            ctx.strokeStyle = '#e08a00';
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    const u = new uPlot(opts, chartData(spec, [], t), el);
    plot.current = u;
    const click = () => {
      const idx = u.cursor.idx;
      if (idx !== null && idx !== undefined) seek.current(idx);
    };
    u.over.addEventListener('click', click);
    const resize = new ResizeObserver(() => u.setSize(size()));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
  }, [spec, t, fill]);
  const data = useMemo(() => chartData(spec, frames, t), [spec, frames, t]);
  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);
  useEffect(() => {
    plot.current?.redraw(false, false);
  }, [frame]);
  // Points of the first line handed to the chart (for tests and screen readers).
  let points = 0;
  for (const v of data[1] as (number | null | undefined)[]) if (v !== null && v !== undefined) points++;
  return (
    <figure className="chart" data-testid={`chart-${spec.id}`} data-points={points}>
      <figcaption>{spec.title}</figcaption>
      <div ref={box} className="chart-box" />
    </figure>
  );
}

/**
 * The live error chart: per step, how each sampler is doing, updated as frames arrive.
 * The orange line marks the frame shown; hovering reads values; clicking seeks there.
 */
export function ErrorChart() {
  const frames = useAppStore((s) => s.frames);
  const { t, frame, mode } = useAppStore((s) => s.view);
  const seek = useAppStore((s) => s.seek);
  const fill = useAppStore((s) => s.view.present);
  const specs = useMemo(() => (mode === 'generate' ? GENERATE_CHARTS : RESTORE_CHARTS), [mode]);
  return (
    <section className="error-chart panel" data-testid="error-chart" aria-label="Error per step">
      <div className="charts">
        {specs.map((spec) => (
          <Chart key={spec.id} spec={spec} frames={frames} t={t} frame={frame} onSeek={seek} fill={fill} />
        ))}
      </div>
      {mode === 'generate' && (
        <p className="metric" data-testid="chart-note">
          A generated image has no original, so its PSNR and its distance from the true path cannot be measured; shown instead is how well
          each step&apos;s estimate explains the image it came from.
        </p>
      )}
    </section>
  );
}
