import { generatorFor } from '../core/degradations/catalog';
import { gridKey } from '../state/sampleGridSeeds';
import { useAppStore, useViewSettings } from '../state/store';
import { PixelCanvas } from './PixelCanvas';

/**
 * Generated samples of the seeds around the current one, computed together in the worker (one
 * batch, improved sampling) and shown as they form; picking one makes it the seed the big panels show.
 */
export function SampleGrid() {
  const grid = useAppStore((s) => s.sampleGrid);
  const view = useViewSettings();
  const { seed, dataset } = view;
  const setSeed = useAppStore((s) => s.setSeed);
  const g = generatorFor(dataset);
  if (!grid) return null;
  // Samples of settings just changed stay in view, dimmed, until the new ones start forming.
  const stale = grid.key !== gridKey(view);
  const state = stale ? null : grid.state;
  const status = grid.error && !stale
    ? `These samples could not be made: ${grid.error}`
    : !state
      ? 'waiting for the panels above…'
      : state.done < state.of
        ? `forming: step ${state.done} of ${state.of}`
        : `done: ${state.of} steps each`;
  return (
    <section className="sample-grid" aria-label="Samples of other seeds" data-testid="sample-grid">
      <h2>
        {grid.seeds.length} seeds at once <small>(improved sampling, one batch) · {status}</small>
      </h2>
      <div className={stale ? 'sample-grid-items stale' : 'sample-grid-items'} data-done={state?.done ?? 0} data-of={state?.of ?? g.schedule.T}>
        {grid.seeds.map((s, i) => (
          <button
            key={s}
            type="button"
            className="sample"
            aria-pressed={s === seed}
            onClick={() => setSeed(s)}
            title={`Show seed ${s} forming, naive beside improved`}
            data-testid={`sample-${s}`}
          >
            <PixelCanvas pixels={grid.state?.samples[i] ?? null} label={`generated sample, seed ${s}`} testId={`sample-canvas-${s}`} size={96} />
            <span>seed {s}</span>
          </button>
        ))}
      </div>
      <p className="metric">Training pictures: {g.credit}.</p>
    </section>
  );
}
