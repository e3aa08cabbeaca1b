import * as tf from '@tensorflow/tfjs-core';
import { BACKEND_LABELS, type BackendName } from '../backend';

/** The backend gave no answer in time, or said it was lost. */
export class BackendStopped extends Error {
  override name = 'BackendStopped';
}

/** The limit for a step (ms), from its index (1: the first) and how long the steps before it took. */
export type StepTimeout = (stepIndex: number, stepTimes: readonly number[]) => number;

/** No answer after this long means the backend has stopped: generous for the first step (shader compilation on a software GPU took over a minute), then 20× the slowest step so far, at least 30 s. */
function defaultStepTimeout(stepIndex: number, times: readonly number[]): number {
  if (stepIndex <= 1 || times.length === 0) return 180_000;
  return Math.max(30_000, 20 * Math.max(...times));
}

/**
 * Turns a backend that stopped answering into an error: a lost WebGL context sends no event to
 * the run and leaves its read-back pending; a GPU that reports its loss (backendLost) ends the
 * wait at once.
 */
export class StepWatchdog {
  /** How long the steps on this backend took (ms). */
  private stepTimes: number[] = [];
  private onBackendLost: ((why: string) => void) | null = null;

  constructor(private readonly stepTimeout: StepTimeout = defaultStepTimeout) {}

  /** A backend is starting: the step times of the last one say nothing about it. */
  reset(): void {
    this.stepTimes = [];
  }

  /** A step's results, or a BackendStopped error. The first step may compile shaders: it gets longer. */
  answered<T>(promise: Promise<T>, stepIndex: number, since: number): Promise<T> {
    const limit = this.stepTimeout(stepIndex, this.stepTimes);
    const backend = tf.getBackend() as BackendName;
    return new Promise<T>((resolve, reject) => {
      const stopWatching = () => {
        clearTimeout(timer);
        this.onBackendLost = null;
      };
      const fail = (why: string) => {
        stopWatching();
        reject(new BackendStopped(`${BACKEND_LABELS[backend] ?? backend} stopped answering (${why})`));
      };
      const timer = setTimeout(() => fail(`no result for ${Math.round(limit / 1000)} s`), Math.max(0, limit - (performance.now() - since)));
      this.onBackendLost = fail;
      promise.then(
        (v) => {
          stopWatching();
          this.stepTimes.push(performance.now() - since);
          resolve(v);
        },
        (e: unknown) => {
          stopWatching();
          reject(e);
        },
      );
    });
  }

  /** A backend reported itself lost (WebGL context lost, WebGPU device lost); ignored once another runs. */
  backendLost(name: BackendName, reason: string): void {
    if (tf.getBackend() === name) this.onBackendLost?.(reason);
  }
}
