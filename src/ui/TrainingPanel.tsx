import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { TRAINING_RECIPES, type TrainingLoss } from '../core/own/trainer';
import { HELD_OUT_SAMPLES, recipeFor, SNAPSHOT_SECONDS, TRAINING_BUDGETS, WARM_STARTS, type TrainingBudget, type WarmStart } from '../core/own/trainingSession';
import { SAMPLES } from '../samples';
import { useAppStore } from '../state/store';
import { smoothed, type TrainingState } from '../state/training';
import { AXIS_STYLE, LEGEND, lineStyle, SERIES_COLOURS } from './ErrorChart';
import { PixelCanvas } from './PixelCanvas';

const WARM_START_LABELS: Record<WarmStart, string> = { none: 'a new network', blur: 'the shipped Blur restorer', inpaint: 'the shipped Inpaint restorer' };
const BUDGET_LABELS: Record<TrainingBudget, string> = { 30: '30 s', 60: '1 min', 180: '3 min', 0: 'until stopped' };
const SNAPSHOT_LABELS = { early: `at ${SNAPSHOT_SECONDS.early} s`, mid: `at ${SNAPSHOT_SECONDS.mid / 60} min`, trained: 'latest' } as const;

/**
 * Train a restorer for your own transform on this device: the network's size and why, the budget,
 * pause / resume / stop, the loss and the held-out PSNR as they come, and what the network makes of
 * the picture on screen now.
 */
export function TrainingPanel({ onFile }: { onFile: (file: Blob, name: string) => void }) {
  const training = useAppStore((s) => s.training);
  const opened = useAppStore((s) => s.openedModel);
  const own = useAppStore((s) => s.view.own);
  const budget = useAppStore((s) => s.view.budget);
  const loss = useAppStore((s) => s.view.loss);
  const warm = useAppStore((s) => s.view.warm);
  const backend = useAppStore((s) => s.backend);
  const setView = useAppStore((s) => s.setView);
  const { train, controlTraining } = useAppStore.getState();
  const forThis = training !== null && training.transform === own;
  const openedForThis = opened !== null && opened.info.transform === own;
  const planned = recipeFor(backend?.name ?? 'wasm', backend?.software ?? false);
  const recipe = training?.recipe ?? planned.recipe;
  const heldOut = HELD_OUT_SAMPLES.map((id) => SAMPLES.find((s) => s.id === id)?.title ?? id).join(', ');
  return (
    <section className="training panel" aria-label="Train a restorer" data-testid="training">
      <h2>Train a restorer R(x_t, t) for it, here</h2>
      <p className="training-how">
        The paper&apos;s way, on this device ({backend?.name ?? '…'}): the distance between R(D(x₀, t), t) and x₀, t uniform, Adam, an average of the weights; random
        crops and flips of {SAMPLES.length - HELD_OUT_SAMPLES.length} gallery pictures and of your own picture, if one is shown (it never leaves the device). PSNR
        is measured on pictures never trained on: {heldOut}.
      </p>
      <p data-testid="training-network">
        Network: <b>{recipe}</b> ({TRAINING_RECIPES[recipe].channels.join('-')} channels{training?.parameters ? `, ${training.parameters.toLocaleString('en')} parameters` : ''}),
        because {recipe === 'shipped' ? 'it starts from a shipped restorer, whose network this is' : planned.reason}
        {recipe !== 'shipped' && warm !== 'none' && (!training || training.status === 'starting') ? `; or the shipped ${TRAINING_RECIPES.shipped.channels.join('-')} one, if the warm start is kept` : ''}.
      </p>
      <div className="training-controls">
        <label>
          Budget
          <select value={budget} onChange={(e) => setView({ budget: Number(e.target.value) as TrainingBudget })} data-testid="training-budget">
            {TRAINING_BUDGETS.map((b) => (
              <option key={b} value={b}>
                {BUDGET_LABELS[b]}
              </option>
            ))}
          </select>
        </label>
        <label title="L2 learns within minutes from the identity the network starts as; L1 is the paper's, and needs hours">
          Loss
          <select value={loss} onChange={(e) => setView({ loss: e.target.value as TrainingLoss })} data-testid="training-loss">
            <option value="l2">L2 (learns in minutes)</option>
            <option value="l1">L1 (the paper&apos;s; needs hours)</option>
          </select>
        </label>
        <label title="From the next Train: a shipped restorer is kept only if its one call (told this t or a neighbour) already beats the input on the held-out pictures; otherwise a new network trains, and the status line says why">
          Start from
          <select value={warm} onChange={(e) => setView({ warm: e.target.value as WarmStart })} data-testid="training-warm">
            {WARM_STARTS.map((w) => (
              <option key={w} value={w}>
                {WARM_START_LABELS[w]}
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="primary" onClick={train} data-testid="train">
          {training && forThis ? 'Train again from the start' : 'Train'}
        </button>
        {training?.status === 'running' && (
          <button type="button" onClick={() => controlTraining('pause')} data-testid="training-pause">
            Pause
          </button>
        )}
        {training?.status === 'paused' && (
          <button type="button" onClick={() => controlTraining('resume')} data-testid="training-resume">
            Resume
          </button>
        )}
        {(training?.status === 'running' || training?.status === 'paused') && (
          <button type="button" onClick={() => controlTraining('stop')} data-testid="training-stop">
            Stop
          </button>
        )}
      </div>
      {training && <TrainingStatusLine training={training} budget={budget} forThis={forThis} />}
      {training && (training.losses.length > 0 || training.evaluations.length > 0) && (
        <div className="training-charts">
          <LossChart training={training} />
          <PsnrChart training={training} />
        </div>
      )}
      {training?.preview && <Preview training={training} />}
      {training && training.snapshots.length > 0 && forThis && <Snapshots training={training} />}
      <KeepAndOpen onFile={onFile} canDownload={(forThis && (training?.snapshots.length ?? 0) > 0) || openedForThis} />
      {!training && openedForThis && <OpenedModel name={opened.name} training={opened.info.training} />}
      {!training && !openedForThis && <p className="metric">Press Train: the loss and the held-out PSNR appear here as it learns.</p>}
    </section>
  );
}

function TrainingStatusLine({ training, budget, forThis }: { training: TrainingState; budget: TrainingBudget; forThis: boolean }) {
  const words: Record<TrainingState['status'], string> = {
    starting: 'Reading the pictures…',
    running: 'Training',
    paused: 'Paused',
    done: 'Done: the budget is spent',
    stopped: 'Stopped',
    diverged: 'Diverged',
    failed: 'Failed',
  };
  const of = budget > 0 ? ` of ${budget} s` : '';
  return (
    <p className="training-status" role="status" data-testid="training-status" data-status={training.status} data-steps={training.steps}>
      <b>{words[training.status]}</b>
      {training.status !== 'starting' &&
        ` · step ${training.steps} · ${training.seconds.toFixed(1)} s${training.status === 'running' ? of : ''} · ${training.stepsPerSecond.toFixed(1)} steps/s · ${training.imagesPerSecond.toFixed(0)} images/s`}
      {training.message && <span className="training-message"> · {training.message}</span>}
      {!forThis && <span> · trained for another transform: press Train for this one.</span>}
    </p>
  );
}

/** The L1 loss per step, and a running mean (one t per batch makes single losses jump). */
function LossChart({ training }: { training: TrainingState }) {
  const data = useMemo<uPlot.AlignedData>(() => [training.losses.map(([s]) => s), training.losses.map(([, l]) => l), smoothed(training.losses)], [training.losses]);
  const mean = (xs: [number, number][]) => xs.reduce((a, [, l]) => a + l, 0) / Math.max(1, xs.length);
  // The first and the last quarter (at least 25 steps each): single losses jump with t.
  const window = Math.max(25, Math.floor(training.losses.length / 4));
  const [first, last] = [mean(training.losses.slice(0, window)), mean(training.losses.slice(-window))];
  return (
    <Chart
      testId="loss-chart"
      title={`${training.loss.toUpperCase()} loss per step (lower is better): ${first.toFixed(4)} over the first ${window} steps, ${last.toFixed(4)} over the last ${window}`}
      readings={{ first, last }}
      xLabel="step"
      data={data}
      series={[
        { label: 'loss', stroke: '#8889', width: 1, points: { show: false } },
        { label: 'mean of 25', stroke: '#333', width: 2, points: { show: false } },
      ]}
    />
  );
}

/** Held-out PSNR at T / 2 over training time: the input, one call, naive and improved. */
function PsnrChart({ training }: { training: TrainingState }) {
  const e = training.evaluations;
  const data = useMemo<uPlot.AlignedData>(() => [e.map((x) => x.seconds), e.map((x) => x.input), e.map((x) => x.direct), e.map((x) => x.naive), e.map((x) => x.improved)], [e]);
  const latest = e.at(-1);
  const t = latest?.t;
  const reading = latest ? `: at step ${latest.steps}, input ${latest.input.toFixed(1)} → one call ${latest.direct.toFixed(1)}, naive ${latest.naive.toFixed(1)}, improved ${latest.improved.toFixed(1)}` : '';
  return (
    <Chart
      testId="psnr-chart"
      title={`Held-out PSNR from t = ${t ?? 'T/2'} (dB, higher is better)${reading}`}
      evaluations={e}
      xLabel="seconds of training"
      data={data}
      series={[
        { label: 'input', stroke: '#999', width: 1, dash: [4, 4] },
        { label: 'direct', ...lineStyle(SERIES_COLOURS.direct, true) },
        { label: 'naive', ...lineStyle(SERIES_COLOURS.naive, false) },
        { label: 'improved', ...lineStyle(SERIES_COLOURS.improved, false) },
      ]}
    />
  );
}

interface ChartProps {
  testId: string;
  title: string;
  xLabel: string;
  data: uPlot.AlignedData;
  series: uPlot.Series[];
  /** The loss chart: its means over the first and the last quarter of the steps, for scripts and tests. */
  readings?: { first: number; last: number };
  /** The PSNR chart: every evaluation, for scripts (scripts/own-quality.ts). */
  evaluations?: TrainingState['evaluations'];
}

function Chart({ testId, title, xLabel, data, series, readings, evaluations }: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  useEffect(() => {
    const el = box.current!;
    const u = new uPlot(
      {
        width: Math.max(240, el.clientWidth),
        height: 170,
        legend: LEGEND,
        scales: { x: { time: false } },
        axes: [
          { label: xLabel, ...AXIS_STYLE },
          { ...AXIS_STYLE, size: 50 },
        ],
        series: [{ label: xLabel }, ...series],
      },
      data,
      el,
    );
    plot.current = u;
    const resize = new ResizeObserver(() => u.setSize({ width: Math.max(240, el.clientWidth), height: 170 }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      u.destroy();
      plot.current = null;
    };
    // The series are fixed per chart; data follows below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  useEffect(() => plot.current?.setData(data), [data]);
  return (
    <figure className="training-chart" data-testid={testId} data-points={data[0].length} data-first={readings?.first} data-last={readings?.last} data-evaluations={evaluations && JSON.stringify(evaluations)}>
      <figcaption>{title}</figcaption>
      <div ref={box} />
    </figure>
  );
}

function Preview({ training }: { training: TrainingState }) {
  const p = training.preview!;
  const last = training.evaluations.at(-1);
  const localImage = useAppStore((s) => s.localImage);
  const image = useAppStore((s) => s.view.image);
  const trainedOn = localImage !== null || !(HELD_OUT_SAMPLES as readonly string[]).includes(image);
  return (
    <figure className="training-preview" data-testid="training-preview">
      <figcaption>
        This picture from t = {last?.t}, as the network restores it at step {last?.steps} ({trainedOn ? 'a picture it trains on' : 'a picture it never trains on'}):
      </figcaption>
      <div className="training-preview-row">
        {(['input', 'direct', 'naive', 'improved'] as const).map((k) => (
          <div key={k}>
            <PixelCanvas pixels={p[k]} label={`preview: ${k}`} testId={`preview-${k}`} size={96} />
            <small>{k === 'input' ? `x_t` : k}</small>
          </div>
        ))}
      </div>
    </figure>
  );
}

/** The restorers training left: pick one to drive the panels, the timeline and the charts. */
function Snapshots({ training }: { training: TrainingState }) {
  const restorer = useAppStore((s) => s.view.restorer);
  const setView = useAppStore((s) => s.setView);
  return (
    <div className="training-snapshots" role="group" aria-label="Snapshots of the restorer" data-testid="training-snapshots">
      <span>Restorers to compare:</span>
      {training.snapshots.map((s) => (
        <button key={s.name} type="button" aria-pressed={restorer === s.name} onClick={() => setView({ restorer: s.name })} data-testid={`snapshot-${s.name}`}>
          {SNAPSHOT_LABELS[s.name]} (step {s.steps})
        </button>
      ))}
    </div>
  );
}

/** Keep the restorer as one file, or open one kept before (also by dropping it on the page). */
function KeepAndOpen({ onFile, canDownload }: { onFile: (file: Blob, name: string) => void; canDownload: boolean }) {
  const download = useAppStore((s) => s.downloadOwnModel);
  return (
    <div className="training-keep" role="group" aria-label="Keep and open restorers">
      <button type="button" onClick={download} disabled={!canDownload} data-testid="own-model-download" title="The network, a manifest with SHA-256 digests, the transform, how it was trained and its figures, in one zip">
        Download the restorer
      </button>
      <label className="file-button">
        Open a restorer file…
        <input
          type="file"
          accept=".zip,application/zip"
          onChange={(e) => {
            const file = e.target.files?.[0];
            if (file) onFile(file, file.name);
            e.target.value = '';
          }}
          data-testid="own-model-open"
        />
      </label>
    </div>
  );
}

/** What an opened restorer file says of itself. */
function OpenedModel({ name, training }: { name: string; training: Record<string, unknown> }) {
  const psnr = training.heldOutPsnr as { t: number; input: number; direct: number; naive: number; improved: number } | undefined;
  const fmt = (v: unknown) => (typeof v === 'number' ? v.toLocaleString('en', { maximumFractionDigits: 1 }) : String(v ?? '?'));
  return (
    <p data-testid="own-model-opened">
      Restoring with <b>{name}</b>: {fmt(training.recipe)} network, {fmt(training.steps)} steps ({fmt(training.seconds)} s) on {fmt(training.backend)}
      {training.trainedIn ? `, trained in ${fmt(training.trainedIn)}` : ''}
      {psnr ? `; held out from t = ${psnr.t}: input ${psnr.input.toFixed(1)} → one call ${psnr.direct.toFixed(1)}, naive ${psnr.naive.toFixed(1)}, improved ${psnr.improved.toFixed(1)} dB` : ''}.
    </p>
  );
}
