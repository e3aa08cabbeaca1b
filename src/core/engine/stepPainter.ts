import { StepPictures, type PictureStart, type StepFloats, type StepFrame } from './stepPictures';

/** A step's pictures and figures, and how long they took where they were made (ms). */
export interface Painted {
  frame: StepFrame;
  ms: number;
}

/**
 * Who turns a run's step floats into the page's pictures and figures (stepPictures.ts). In the
 * page it is a second worker (src/worker/stepPainter.worker.ts), so they are made while the sampler's
 * worker runs the next forward; under Node, and wherever that worker cannot start, this thread.
 */
export interface StepPainter {
  /** A run's steps come next; a painter keeps one run's state, the newest begun. */
  begin(start: PictureStart): void;
  /** The floats may be moved to another thread: they belong to the painter from here on. */
  paint(floats: StepFloats): Promise<Painted>;
  /** True where the pictures are made on another thread, off the step's path. */
  readonly aside: boolean;
}

/** Paints on this thread, at once: the step waits for it. */
export function localPainter(): StepPainter {
  let pictures: StepPictures | null = null;
  return {
    aside: false,
    begin: (start) => {
      pictures = new StepPictures(start);
    },
    paint: (floats) => {
      if (!pictures) return Promise.reject(new Error('a step painted before its run began'));
      const t0 = performance.now();
      const frame = pictures.paint(floats);
      return Promise.resolve({ frame, ms: performance.now() - t0 });
    },
  };
}
