import { degradationInfo, generatorFor } from '../core/degradations/catalog';
import type { RestorerId } from '../core/engine/types';
import { SAMPLES } from '../samples';
import { defaultViewState, forwardProcessOf, type ViewSettings } from '../state/viewState';

/** How the title names a restorer that is not the default (the trained network). */
const RESTORER_NAMES: Record<Exclude<RestorerId, 'trained'>, string> = {
  early: 'early checkpoint (3 % of training)',
  mid: 'mid checkpoint (15 % of training)',
  oracle: 'oracle restorer (returns the true x₀)',
};

/**
 * The title of presentation mode: what the room is looking at. The degradation and t always,
 * then each run setting that differs from the default view (defaultViewState(), the link table's
 * defaults), the restorer first: the seed only where it changes the run (a seeded degradation, or
 * generation), the picture by its title. View-only settings (frame, speed, charts) are not named.
 */
export function presentationTitle(view: ViewSettings): string {
  const defaults = defaultViewState();
  const generating = view.mode === 'generate';
  const parts = [generating ? `generating ${generatorFor(view.dataset).pictures} from a flat colour` : `${forwardProcessOf(view).label}, t = ${view.t}`];
  // Every level is the paper's sampler; fewer steps change the result.
  if (view.steps < view.t) parts[0] += ` in ${view.steps} steps`;
  if (view.restorer !== 'trained') parts.push(RESTORER_NAMES[view.restorer]);
  const seedMatters = generating || (view.mode === 'restore' && degradationInfo(view.degradation).seeded);
  if (seedMatters && view.seed !== defaults.seed) parts.push(`seed ${view.seed}`);
  if (generating && view.colour !== '') parts.push(`start colour #${view.colour}`);
  if (generating && view.sigma !== defaults.sigma) parts.push(`noise σ = ${view.sigma}`);
  if (!generating) {
    if (view.imageData !== '') parts.push('your image');
    else if (view.image !== defaults.image) parts.push(SAMPLES.find((s) => s.id === view.image)?.title ?? view.image);
  }
  return `Cold diffusion: ${parts.join(' · ')}`;
}
