import { EXACT_DB } from '../core/metrics';
import { useEffect, useMemo, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { FramePixels } from '../core/engine/types';
import { useAppStore, useViewSettings } from '../state/store';

/**
 * Colours of the samplers' lines (the same in both charts): Okabe–Ito's vermillion, blue and bluish
 * green, told apart with each common colour-vision deficiency; direct's line is dashed as well, so
 * the three stay apart in grayscale too.
 */
export const SERIES_COLOURS = { naive: '#D55E00', improved: '#0072B2', direct: '#009E73' } as const;

/** The app's charts' axes: the page's text colour, faint grid and ticks. */
export const AXIS_STYLE = { stroke: 'currentColor', grid: { stroke: '#8883' }, ticks: { stroke: '#8883' } } as const;

/** A sampler's line; direct's is dashed. */
export function lineStyle(colour: string, dashed: boolean): Pick<uPlot.Series, 'stroke' | 'width' | 'dash' | 'points'> {
  const px = devicePixelRatio;
  // uPlot scales widths by the pixel ratio, not dashes.
  return { stroke: colour, width: 2, dash: dashed ? [7 * px, 4 * px] : undefined, points: { size: 4 } };
}

/** The legend's marker of a series: dashed like its line. */
export const LEGEND: uPlot.Legend = { markers: { dash: (u, i) => (u.series[i]?.dash ? 'dashed' : 'solid') } };

// PSNR at or above EXACT_DB (src/core/metrics.ts) is the original itself, to float rounding (the oracle
// restorer gives it): shown as "exact (∞)", drawn just above the highest finite value, so the axis
// keeps the scale of what was measured.

interface ChartSpec {
  id: string;
  title: string;
  unit: string;
  /** Values at or above this are exact (PSNR of identical images): read "exact (∞)", drawn at a cap. */
  exactAbove?: number;
  series: { label: string; colour: string; dash?: boolean; value: (f: FramePixels) => number | null | undefined }[];
}

/** Restoring: quality against the original and the distance from the path D(x0, s) the samplers should follow. */
const RESTORE_CHARTS: ChartSpec[] = [
  {
    id: 'psnr',
    title: 'PSNR of x_s against the original (dB, higher is better)',
    unit: 'dB',
    exactAbove: EXACT_DB,
    series: [
      { label: 'naive', colour: SERIES_COLOURS.naive, value: (f) => f.naive.psnr },
      { label: 'improved', colour: SERIES_COLOURS.improved, value: (f) => f.improved.psnr },
      { label: 'direct: D(x̂₀, s)', colour: SERIES_COLOURS.direct, dash: true, value: (f) => f.direct?.pathPsnr ?? (f.index === 0 ? f.naive.psnr : null) },
    ],
  },
  {
    id: 'drift',
    title: 'Distance from the true path: RMSE(x_s, D(x₀, s)) (lower is better)',
    unit: 'RMSE',
    series: [
      { label: 'naive', colour: SERIES_COLOURS.naive, value: (f) => f.naive.drift },
      { label: 'improved', colour: SERIES_COLOURS.improved, value: (f) => f.improved.drift },
      { label: 'direct: D(x̂₀, s)', colour: SERIES_COLOURS.direct, dash: true, value: (f) => f.direct?.pathDrift ?? (f.index === 0 ? f.naive.drift : null) },
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

interface ChartData {
  data: uPlot.AlignedData;
  /** Per series, per frame: the value is exact (drawn at `cap`). */
  exact: boolean[][];
  /** Where exact values are drawn: just above the highest finite one; null when none is exact. */
  cap: number | null;
}

/**
 * One line per sampler, one point per step computed so far, x = frame. Exact values (PSNR of the
 * original itself) have no place on a finite axis: they are drawn at a cap just above the highest
 * finite value, and the legend reads them as exact.
 */
export function chartData(spec: ChartSpec, frames: FramePixels[], steps: number): ChartData {
  const x = Array.from({ length: steps + 1 }, (_, i) => i);
  const raw = spec.series.map((s) => x.map((i) => (frames[i] ? (s.value(frames[i]) ?? null) : null)));
  const exact = raw.map((r) => r.map((v) => spec.exactAbove !== undefined && v !== null && v >= spec.exactAbove));
  let top = -Infinity;
  let bottom = Infinity;
  raw.forEach((r, si) =>
    r.forEach((v, i) => {
      if (v === null || !Number.isFinite(v) || exact[si]![i]) return;
      top = Math.max(top, v);
      bottom = Math.min(bottom, v);
    }),
  );
  const anyExact = exact.some((r) => r.includes(true));
  const cap = !anyExact ? null : top === -Infinity ? 50 : top + Math.max(1, (top - bottom) * 0.08);
  const plotted = raw.map((r, si) => r.map((v, i) => (exact[si]![i] ? cap : v !== null && Number.isFinite(v) ? v : null)));
  return { data: [x, ...plotted], exact, cap };
}

/** What the legend reads for a value. */
const readout = (spec: ChartSpec, v: number | null, exact: boolean) => (exact ? 'exact (∞)' : v === null ? '–' : v.toFixed(spec.unit === 'dB' ? 1 : 4));

/** How often a chart off screen follows a run (ms). */
const OFF_SCREEN_REDRAW_MS = 1000;

/** Room uPlot's legend takes below the plot when the chart fills a box of fixed height. */
const LEGEND_PX = 58;

function Chart({ spec, frames, steps, frame, onSeek, fill }: { spec: ChartSpec; frames: FramePixels[]; steps: number; frame: number; onSeek: (frame: number) => void; fill: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  // Built when it first comes into view (at once in presentation, where it fills the screen): below the panels, on a
  // phone-class CPU building both plots was a few hundred ms of the first seconds' main thread (issue 28).
  const [seen, setSeen] = useState(fill);
  const [built, setBuilt] = useState(false);
  // A chart that fails to build (its code not loading, no ResizeObserver) fails in render, where its part's boundary shows it.
  const [failure, setFailure] = useState<Error | null>(null);
  if (failure) throw failure;
  const shown = useRef(frame);
  const seek = useRef(onSeek);
  const data = useMemo(() => chartData(spec, frames, steps), [spec, frames, steps]);
  const latest = useRef(data);
  seek.current = onSeek;
  shown.current = frame;
  latest.current = data;
  useEffect(() => {
    if (!seen) return;
    const el = box.current!;
    // fill: the layout sizes the box (presentation mode) and the plot takes its height; else a fixed height.
    const size = () => ({ width: Math.max(fill ? 160 : 240, el.clientWidth), height: fill ? Math.max(80, el.clientHeight - LEGEND_PX) : 190 });
    const px = devicePixelRatio;
    const opts: uPlot.Options = {
      ...size(),
      cursor: { sync: { key: 'error-charts' }, drag: { x: false, y: false } },
      legend: LEGEND,
      // A distance starts at 0; all zero (the oracle), the axis is still a small one, not uPlot's 0 to 100.
      scales: { x: { time: false }, y: spec.unit === 'dB' ? {} : { range: (_u, _min, max) => [0, max !== null && max > 0 ? max * 1.1 : 0.05] } },
      axes: [
        { label: 'frame', ...AXIS_STYLE },
        { label: spec.unit, ...AXIS_STYLE, size: 56 },
      ],
      series: [
        { label: 'frame' },
        ...spec.series.map((s, si) => ({
          label: s.label,
          ...lineStyle(s.colour, !!s.dash),
          value: (_u: uPlot, v: number | null, _sidx: number, idx: number | null) => readout(spec, v, idx !== null && !!latest.current.exact[si]?.[idx]),
        })),
      ],
      hooks: {
        // The frame shown, as a vertical cursor line.
        draw: [
          (u) => {
            const x = u.valToPos(shown.current, 'x', true);
            const { ctx, bbox } = u;
            ctx.save();
            // Exact values sit on this line, labelled: the axis above the finite values is not theirs.
            const cap = latest.current.cap;
            if (cap !== null) {
              const y = u.valToPos(cap, 'y', true);
              ctx.strokeStyle = '#8888';
              ctx.fillStyle = '#888';
              ctx.lineWidth = px;
              ctx.setLineDash([2 * px, 3 * px]);
              ctx.beginPath();
              ctx.moveTo(bbox.left, y);
              ctx.lineTo(bbox.left + bbox.width, y);
              ctx.stroke();
              ctx.setLineDash([]);
              ctx.font = `${11 * px}px sans-serif`;
              ctx.textAlign = 'left';
              ctx.textBaseline = 'bottom';
              ctx.fillText('exact (∞)', bbox.left + 4 * px, y - 2 * px);
            }
            ctx.setLineDash([]); // not direct's dash, left on the context by uPlot
            ctx.strokeStyle = '#e08a00';
            ctx.lineWidth = 2 * devicePixelRatio;
            ctx.beginPath();
            ctx.moveTo(x, bbox.top);
            ctx.lineTo(x, bbox.top + bbox.height);
            ctx.stroke();
            ctx.restore();
          },
        ],
        // Not hovering, the legend reads the frame shown.
        setCursor: [
          (u) => {
            if (u.cursor.idx === null || u.cursor.idx === undefined) u.setLegend({ idx: shown.current }, false);
          },
        ],
      },
    };
    let dropped = false;
    let drop = () => {};
    // uPlot's code is read when a chart is first built, not with the page: its evaluation was about 80 ms of a
    // phone-class start (issue 28). The chart keeps its room meanwhile (.chart-box.unbuilt).
    void import('uplot')
      .then(({ default: UPlot }) => {
        if (dropped) return;
        const u = new UPlot(opts, latest.current.data, el);
        try {
          u.setLegend({ idx: shown.current }, false);
          u.over.addEventListener('click', () => {
            const idx = u.cursor.idx;
            if (idx !== null && idx !== undefined) seek.current(idx);
          });
          const resize = new ResizeObserver(() => u.setSize(size()));
          resize.observe(el);
          drop = () => {
            resize.disconnect();
            u.destroy();
            plot.current = null;
          };
        } catch (e) {
          u.destroy();
          throw e;
        }
        plot.current = u;
        setBuilt(true);
      })
      .catch((e: unknown) => !dropped && setFailure(e instanceof Error ? e : new Error(String(e))));
    return () => {
      dropped = true;
      drop();
    };
  }, [spec, steps, fill, seen]);
  // One redraw per animation frame for new data and the frame shown together, and, off screen, one a second: while
  // a run plays both change several times a second, and each redraw (axes, text, lines) was a large part of the
  // page's work per frame on a phone-class CPU.
  const pending = useRef<(() => void) | null>(null);
  const visible = useRef(true);
  const redraw = useRef(() => {});
  redraw.current = () => {
    pending.current = null;
    const u = plot.current;
    if (!u) return;
    u.setData(latest.current.data);
    if (u.cursor.idx === null || u.cursor.idx === undefined) u.setLegend({ idx: shown.current }, false);
  };
  useEffect(() => {
    if (pending.current) return;
    if (visible.current) {
      const id = requestAnimationFrame(() => redraw.current());
      pending.current = () => cancelAnimationFrame(id);
    } else {
      const id = setTimeout(() => redraw.current(), OFF_SCREEN_REDRAW_MS);
      pending.current = () => clearTimeout(id);
    }
  }, [data, frame]);
  useEffect(() => {
    const el = box.current!;
    const observer = new IntersectionObserver(([entry]) => {
      visible.current = entry?.isIntersecting ?? true;
      if (visible.current) setSeen(true);
      // Scrolled into view with a redraw waiting: now.
      if (visible.current && pending.current) {
        pending.current();
        redraw.current();
      }
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      pending.current?.();
      pending.current = null;
    };
  }, []);
  // Points of each line handed to the chart (for tests and screen readers); data-points: the first line's.
  const seriesPoints = data.data.slice(1).map((line) => (line as (number | null | undefined)[]).filter((v) => v !== null && v !== undefined).length);
  const points = seriesPoints[0] ?? 0;
  return (
    <figure className="chart" data-testid={`chart-${spec.id}`} data-points={points} data-series-points={seriesPoints.join(',')} data-cap={data.cap ?? undefined}>
      <figcaption>{spec.title}</figcaption>
      <div ref={box} className={built ? 'chart-box' : 'chart-box unbuilt'} />
      {data.cap !== null && (
        <p className="metric chart-exact" data-testid={`chart-${spec.id}-exact`}>
          exact (∞): x_s is the original itself (no finite PSNR), drawn on the dotted line just above the highest finite value.
        </p>
      )}
    </figure>
  );
}

/**
 * The live error chart: per step, how each sampler is doing, updated as frames arrive.
 * The orange line marks the frame shown; hovering reads values; clicking seeks there.
 */
export function ErrorChart() {
  const frames = useAppStore((s) => s.frames);
  const { steps, mode } = useViewSettings();
  const frame = useAppStore((s) => s.view.frame);
  const seek = useAppStore((s) => s.seek);
  const fill = useAppStore((s) => s.view.present);
  const specs = useMemo(() => (mode === 'generate' ? GENERATE_CHARTS : RESTORE_CHARTS), [mode]);
  return (
    <section className="error-chart panel" data-testid="error-chart" aria-label="Error per step">
      <div className="charts">
        {specs.map((spec) => (
          <Chart key={spec.id} spec={spec} frames={frames} steps={steps} frame={frame} onSeek={seek} fill={fill} />
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
