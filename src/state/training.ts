import type { TrainingLoss } from '../core/own/trainer';
import type { RecipeName, SnapshotInfo, TrainingEvaluation, TrainingReport, TrainingStatus } from '../core/own/trainingSession';

/** A training as the page shows it: the reports of the worker, gathered. */
export interface TrainingState {
  trainingId: number;
  /** The transform it trains for (its link value): a restorer belongs to one transform. */
  transform: string;
  /** 'starting': asked for, the pictures are being read. */
  status: TrainingStatus | 'starting';
  recipe: RecipeName | null;
  loss: TrainingLoss;
  parameters: number;
  steps: number;
  seconds: number;
  stepsPerSecond: number;
  imagesPerSecond: number;
  /** [step, loss], thinned to at most MAX_LOSS_POINTS (every other point dropped when full). */
  losses: [number, number][];
  evaluations: Omit<TrainingEvaluation, 'preview'>[];
  preview: TrainingEvaluation['preview'];
  snapshots: SnapshotInfo[];
  /** The last thing said about it (why it ended, a backend change). */
  message: string | null;
}

export const MAX_LOSS_POINTS = 2000;

export function startingTraining(trainingId: number, transform: string, loss: TrainingLoss): TrainingState {
  return { trainingId, transform, status: 'starting', recipe: null, loss, parameters: 0, steps: 0, seconds: 0, stepsPerSecond: 0, imagesPerSecond: 0, losses: [], evaluations: [], preview: null, snapshots: [], message: null };
}

/** The state after a report; reports of an older training are ignored. */
export function withReport(state: TrainingState | null, report: TrainingReport): TrainingState | null {
  if (!state || report.trainingId !== state.trainingId) return state;
  let losses = [...state.losses, ...report.losses];
  while (losses.length > MAX_LOSS_POINTS) losses = losses.filter((_, i) => i % 2 === 1);
  const { evaluation } = report;
  return {
    ...state,
    status: report.status,
    recipe: report.recipe,
    parameters: report.parameters || state.parameters,
    steps: report.steps,
    seconds: report.seconds,
    stepsPerSecond: report.stepsPerSecond,
    imagesPerSecond: report.imagesPerSecond,
    losses,
    evaluations: evaluation ? [...state.evaluations, withoutPreview(evaluation)] : state.evaluations,
    preview: evaluation?.preview ?? state.preview,
    snapshots: report.snapshots,
    message: report.message ?? state.message,
  };
}

function withoutPreview({ preview: _, ...rest }: TrainingEvaluation): Omit<TrainingEvaluation, 'preview'> {
  return rest;
}

export const isTraining = (s: TrainingState | null) => s !== null && (s.status === 'starting' || s.status === 'running');

/** A smoothed loss for the chart: the mean of a window of points around each (single losses jump with t). */
export function smoothed(losses: readonly [number, number][], window = 25): number[] {
  const out: number[] = [];
  let sum = 0;
  for (let i = 0; i < losses.length; i++) {
    sum += losses[i]![1];
    if (i >= window) sum -= losses[i - window]![1];
    out.push(sum / Math.min(i + 1, window));
  }
  return out;
}
