import { MAX_SEED } from '../core/degradations/rng';
import type { ViewState } from './viewState';

/** Samples generated side by side: one batch of this many seeds. */
export const GRID_SIZE = 8;

/** The seeds the grid shows: the block of GRID_SIZE that holds the current seed, so picking one keeps the grid. */
export function gridSeeds(seed: number): number[] {
  const first = Math.min(seed - (seed % GRID_SIZE), MAX_SEED - GRID_SIZE + 1);
  return Array.from({ length: GRID_SIZE }, (_, i) => first + i);
}

/** What the grid depends on: a change of any of these asks for a new one. */
export function gridKey(view: Pick<ViewState, 'dataset' | 'colour' | 'sigma' | 'seed'>): string {
  return [view.dataset, view.colour, view.sigma, gridSeeds(view.seed)[0]].join('|');
}
