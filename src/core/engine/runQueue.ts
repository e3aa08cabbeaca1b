/** A run that a newer request replaced; not an error for the visitor. */
export class Superseded extends Error {
  override name = 'Superseded';
}

/**
 * One operation at a time (runs, image changes and backend switches never interleave), and
 * which run may go on: a newer request supersedes an older run between its steps.
 */
export class RunQueue {
  private queue: Promise<unknown> = Promise.resolve();
  /** The only run allowed to go on (null: none); any other stops at its next step. */
  private currentRun: number | null = null;
  /** Called whenever the current run changes, so waits of superseded runs end at once. */
  private onSupersede = new Set<() => void>();

  get current(): number | null {
    return this.currentRun;
  }

  set current(id: number | null) {
    this.currentRun = id;
    for (const wake of [...this.onSupersede]) wake();
  }

  /** Resolves when every queued operation has finished. */
  idle(): Promise<void> {
    return this.queue.then(() => undefined);
  }

  /** Operations queued or under way. */
  get pending(): number {
    return this.jobs;
  }

  private jobs = 0;

  /** Queues `job` after every operation before it; one that failed does not hold up the rest. */
  serial<T>(job: () => Promise<T>): Promise<T> {
    this.jobs++;
    const next = this.queue.then(job, job).finally(() => this.jobs--);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Between steps: a run that is no longer current stops here, with Superseded. */
  check(runId: number): void {
    if (runId !== this.currentRun) throw new Superseded();
  }

  /** Resolves like `promise`, or rejects with Superseded as soon as `runId` is no longer the current run. */
  whileCurrent<T>(runId: number, promise: Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const wake = () => {
        if (runId === this.currentRun) return;
        this.onSupersede.delete(wake);
        reject(new Superseded());
      };
      this.onSupersede.add(wake);
      wake();
      promise.then(
        (v) => {
          this.onSupersede.delete(wake);
          resolve(v);
        },
        (e: unknown) => {
          this.onSupersede.delete(wake);
          reject(e);
        },
      );
    });
  }
}
