import { BACKEND_CHOICES, BACKEND_LABELS, type BackendChoice } from '../core/backend';
import { DEGRADATION_IDS, degradationInfo, GENERATION_DATASETS, generatorFor, type DegradationId, type GenerationDataset } from '../core/degradations/catalog';
import { hexFromColour } from '../core/generation';
import { MAX_SIGMA } from '../state/viewState';
import { useAppStore, useViewSettings } from '../state/store';
import { MAX_SEED } from '../core/degradations/rng';
import { forwardProcessOf, restorerAllowed, restorerUnavailable, type HideableControl } from '../state/viewState';
import { isCheckpoint, RESTORERS, type RestorerId } from '../core/engine/types';
import { useEffect, useState } from 'react';

export function DegradationPicker() {
  const degradation = useAppStore((s) => s.view.degradation);
  const setDegradation = useAppStore((s) => s.setDegradation);
  return (
    <label className="control">
      Degradation
      <select value={degradation} onChange={(e) => setDegradation(e.target.value as DegradationId)} data-testid="degradation">
        {DEGRADATION_IDS.map((id) => (
          <option key={id} value={id}>
            {degradationInfo(id).label}
          </option>
        ))}
      </select>
      <small>{degradationInfo(degradation).description}</small>
    </label>
  );
}

export function StepSlider() {
  const view = useViewSettings();
  const t = view.t;
  const setStep = useAppStore((s) => s.setStep);
  const D = forwardProcessOf(view);
  return (
    <label className="control step">
      <span>
        Start step <b data-testid="t-value">t = {t}</b> of {D.T} · {D.strengthLabel(t)}
      </span>
      <input type="range" min={1} max={D.T} step={1} value={t} onChange={(e) => setStep(Number(e.target.value))} data-testid="t-slider" aria-label="start step t" />
    </label>
  );
}

const randomSeed = () => Math.floor(Math.random() * 1_000_000);

export function ModeSwitch() {
  const mode = useAppStore((s) => s.view.mode);
  const setMode = useAppStore((s) => s.setMode);
  return (
    <div className="mode-switch" role="tablist" aria-label="Mode">
      <button type="button" role="tab" aria-selected={mode === 'restore'} onClick={() => setMode('restore')} data-testid="mode-restore">
        Restore an image
      </button>
      <button type="button" role="tab" aria-selected={mode === 'generate'} onClick={() => setMode('generate')} data-testid="mode-generate">
        Generate from a flat colour
      </button>
      <button type="button" role="tab" aria-selected={mode === 'own'} onClick={() => setMode('own')} data-testid="mode-own">
        Your own transform
      </button>
    </div>
  );
}

/** Generation: each press draws a new seed, i.e. a new colour and new symmetry-breaking noise. */
export function GenerateControls({ shown }: { shown: Record<'dataset' | 'colour' | 'seed', boolean> }) {
  const { seed, dataset } = useViewSettings();
  const setSeed = useAppStore((s) => s.setSeed);
  const setView = useAppStore((s) => s.setView);
  const g = generatorFor(dataset);
  return (
    <div className="control generate" role="group" aria-label="Generate">
      <span>
        Where a picture comes from: a flat colour (t = {g.schedule.T}) → its coarse shape → the detail, one un-blurring step at a time. Each seed
        draws another colour and another faint noise, so another {g.pictures.replace(/s$/, '')}.
      </span>
      <div className="seed-row">
        {shown.dataset && (
          <label>
            Pictures
            <select value={dataset} onChange={(e) => setView({ dataset: e.target.value as GenerationDataset })} data-testid="dataset">
              {GENERATION_DATASETS.map((d) => (
                <option key={d} value={d}>
                  {generatorFor(d).pictures} ({generatorFor(d).size}×{generatorFor(d).size})
                </option>
              ))}
            </select>
          </label>
        )}
        <button type="button" className="primary" onClick={() => setSeed(randomSeed())} data-testid="generate">
          Generate
        </button>
        {shown.seed && <SeedInput seed={seed} setSeed={setSeed} />}
      </div>
      {shown.colour && <StartControls />}
    </div>
  );
}

/** The start: its colour (the seed's draw from the model's colour mixture unless the visitor picks one) and the noise that breaks symmetry. */
function StartControls() {
  const { colour, sigma } = useViewSettings();
  const start = useAppStore((s) => s.frames[0]?.naive.xt ?? null);
  const setView = useAppStore((s) => s.setView);
  // The seed's colour, read off the start the worker made: the mean of x_T (its noise averages out).
  const drawn = start ? hexFromColour(([0, 1, 2] as const).map((c) => meanChannel(start.rgba, c) / 127.5 - 1) as [number, number, number]) : '808080';
  return (
    <div className="seed-row start-row">
      <label>
        Start colour
        <input type="color" value={`#${colour || drawn}`} onChange={(e) => setView({ colour: e.target.value.slice(1).toLowerCase() })} data-testid="start-colour" />
      </label>
      {colour ? (
        <button type="button" onClick={() => setView({ colour: '' })} data-testid="colour-from-seed" title="Let each seed draw its colour again">
          Colour from the seed
        </button>
      ) : (
        <small>drawn by the seed</small>
      )}
      <label title="0: every seed of one colour gives the same picture">
        Noise σ <b data-testid="sigma-value">{sigma.toFixed(3)}</b>
        <input type="range" min={0} max={MAX_SIGMA / 4} step={0.001} value={sigma} onChange={(e) => setView({ sigma: Number(Number(e.target.value).toFixed(3)) })} data-testid="sigma" aria-label="symmetry-breaking noise sigma" />
      </label>
    </div>
  );
}

function meanChannel(rgba: Uint8ClampedArray, c: number): number {
  let sum = 0;
  for (let i = c; i < rgba.length; i += 4) sum += rgba[i]!;
  return sum / (rgba.length / 4);
}

function SeedInput({ seed, setSeed }: { seed: number; setSeed: (seed: number) => void }) {
  return (
    <label>
      Seed
      <input
        type="number"
        min={0}
        max={MAX_SEED}
        step={1}
        value={seed}
        onChange={(e) => {
          const v = Number(e.target.value);
          if (e.target.value !== '' && Number.isInteger(v) && v >= 0 && v <= MAX_SEED) setSeed(v);
        }}
        data-testid="seed"
      />
    </label>
  );
}

/** Seeded degradations only: the seed places the hole, the snow, the noise or the picture mixed in, and travels in the link. */
export function SeedControl() {
  const { degradation, seed } = useViewSettings();
  const setSeed = useAppStore((s) => s.setSeed);
  if (!degradationInfo(degradation).seeded) return null;
  return (
    <div className="control seed" role="group" aria-label="Seed">
      <SeedInput seed={seed} setSeed={setSeed} />
      <button type="button" onClick={() => setSeed(randomSeed())} data-testid="new-seed" title="Draw a new seed">
        New seed
      </button>
    </div>
  );
}

export function BackendPicker() {
  const backend = useAppStore((s) => s.view.backend);
  const setView = useAppStore((s) => s.setView);
  return (
    <label className="control">
      Backend
      <select value={backend} onChange={(e) => setView({ backend: e.target.value as BackendChoice })} data-testid="backend">
        {BACKEND_CHOICES.map((b) => (
          <option key={b} value={b}>
            {b === 'auto' ? 'Automatic' : BACKEND_LABELS[b]}
          </option>
        ))}
      </select>
    </label>
  );
}

export function ShareLink() {
  const localImage = useAppStore((s) => s.localImage);
  const notify = useAppStore((s) => s.notify);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      const imageData = useAppStore.getState().view.imageData;
      notify(
        'info',
        localImage && !imageData
          ? 'Link copied. Your own image is not in it (it stays on this device): the link opens the gallery image instead. "Put my image in the link" adds it.'
          : 'Link copied: it opens this exact view.',
      );
    } catch {
      notify('warning', `Copy this link by hand: ${window.location.href}`);
    }
  };
  return (
    <button type="button" onClick={copy} data-testid="share">
      Copy link
    </button>
  );
}

const RESTORER_LABELS: Record<RestorerId, string> = {
  trained: 'Trained network',
  early: 'Early checkpoint (3 % trained)',
  mid: 'Mid checkpoint (15 % trained)',
  oracle: 'Oracle (returns the true original)',
};

/** Your own transform: the snapshots of its training in the checkpoints' places (trainingSession.ts). */
const OWN_RESTORER_LABELS: Record<RestorerId, string> = {
  trained: 'Latest snapshot of your training',
  early: 'Snapshot at 10 s of training',
  mid: 'Snapshot at 1 min of training',
  oracle: 'Oracle (returns the true original)',
};

const RESTORER_NOTES: Record<RestorerId, string> = {
  trained: 'The network trained by this project (see its model card).',
  early: 'The same network after about 3 % of its training: a poor restorer.',
  mid: 'The same network part-way (about 15 %) through its training.',
  oracle: 'A perfect restorer: both samplers must end exactly at the original.',
};

/** Who plays R(x_s, s). With the oracle both samplers must give the original back exactly. */
export function RestorerPicker() {
  const view = useViewSettings();
  const setView = useAppStore((s) => s.setView);
  const generating = view.mode === 'generate';
  const own = view.mode === 'own';
  const labels = own ? OWN_RESTORER_LABELS : RESTORER_LABELS;
  return (
    <label className="control restorer">
      Restorer
      <select value={view.restorer} onChange={(e) => setView({ restorer: e.target.value as RestorerId })} data-testid="restorer">
        {RESTORERS.map((r) => (
          <option key={r} value={r} disabled={!restorerAllowed(r, view)} title={restorerUnavailable(r, view) ?? undefined}>
            {labels[r]}
            {restorerAllowed(r, view) ? '' : ' (not for this degradation)'}
          </option>
        ))}
      </select>
      <small data-testid="restorer-note">
        {generating
          ? 'Only the trained network here: a generated image has no original for the oracle, and no checkpoints are shipped.'
          : own
            ? view.restorer === 'oracle'
              ? RESTORER_NOTES.oracle
              : 'A restorer trained on this device (below); the earlier snapshots are poorer restorers to compare.'
            : RESTORER_NOTES[view.restorer]}
        {!generating && !own && isCheckpoint(view.restorer) && <CheckpointMeasured modelId={`${view.degradation}-${view.restorer}`} />}
      </small>
    </label>
  );
}

interface HeldOutEval {
  images: number;
  results: Record<string, Record<'degraded' | 'direct' | 'naive' | 'improved', { psnr: number }>>;
}

/** What a checkpoint does, measured on the held-out pictures (its eval.json, written with its model card). */
function CheckpointMeasured({ modelId }: { modelId: string }) {
  const [measured, setMeasured] = useState<HeldOutEval | null>(null);
  useEffect(() => {
    let live = true;
    setMeasured(null);
    fetch(`${import.meta.env.BASE_URL}models/${modelId}/eval.json`)
      .then((r) => (r.ok ? (r.json() as Promise<HeldOutEval>) : null))
      .then((m) => live && setMeasured(m))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [modelId]);
  if (!measured) return null;
  const at = Object.entries(measured.results).map(([t, r]) => {
    const verdict = r.improved.psnr > r.degraded.psnr ? 'improved restores' : 'nothing beats the input';
    return `from t = ${t}: input ${r.degraded.psnr.toFixed(1)} dB → naive ${r.naive.psnr.toFixed(1)}, improved ${r.improved.psnr.toFixed(1)}, one call ${r.direct.psnr.toFixed(1)} (${verdict})`;
  });
  return <span data-testid="checkpoint-measured"> Held out ({measured.images} images, mean PSNR) {at.join('; ')}.</span>;
}

/** Presentation mode for a projector (in the link as present=1); not offered on a phone (app.css, "Presentation and QR"). */
export function PresentButton() {
  const setView = useAppStore((s) => s.setView);
  return (
    <button type="button" className="present-button" onClick={() => setView({ present: true })} data-testid="present" title="Large panels and chart, controls reduced to the timeline, a QR code of this link">
      Present
    </button>
  );
}

/** Whether a control is on the page (hide= in the link leaves it out; its setting still applies). */
export function useShown(control: HideableControl): boolean {
  return useAppStore((s) => !s.view.hide.includes(control));
}
