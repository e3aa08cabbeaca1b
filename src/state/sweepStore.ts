import { create } from 'zustand';
import type { StepSweep, SweepProgress } from '../core/engine/stepSweep';

/** Where "How many steps?" stands for the settings on screen. */
export type SweepStatus =
  | { kind: 'closed' }
  /** Asked for; the run of these settings goes first. */
  | { kind: 'waiting' }
  | { kind: 'computing'; progress: SweepProgress }
  | { kind: 'done'; result: StepSweep }
  | { kind: 'failed'; message: string }
  /** Generating has no original to measure against. */
  | { kind: 'unavailable'; why: string };

export const useSweepStore = create<{ status: SweepStatus }>()(() => ({ status: { kind: 'closed' } }));
