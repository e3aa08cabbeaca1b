import type { EngineEvent, StepProfile } from './events';
import { StepPictures, type PictureStart, type StepFloats } from './stepPictures';

/** A step's frame event but its pictures: what the painter sends on with them. */
export interface FrameEnvelope {
  runId: number;
  index: number;
  t: number;
  /** The step's time up to its read-back; a painter on the step's path adds its own. */
  msPerStep: number;
  /** The step's phases up to its read-back (pixels and aside 0): the painter fills in its own. */
  profile: StepProfile;
}

type FrameEvent = Extract<EngineEvent, { type: 'frame' }>;

/** The painter aside stopped (its worker failed): no fault of the backend; the run starts again, painted on this thread. */
export class PainterStopped extends Error {
  override name = 'PainterStopped';
}

/**
 * Who turns a run's step floats into the page's pictures and figures (stepPictures.ts) and sends
 * the frame on. In the page it is a second worker (src/worker/stepPainter.worker.ts) that posts each
 * frame to the page itself, so the pictures are made, and shown, while the sampler's worker runs the
 * next forward; under Node, and wherever that worker cannot start, this thread, through `emit`.
 */
export interface StepPainter {
  /** True where the pictures are made on another thread, off the step's path. */
  readonly aside: boolean;
  /** Starts what it needs ahead of the first run (another thread takes a while to start). */
  prepare?(): void;
  /** A run's steps come next; a painter keeps one run's state, the newest begun. */
  begin(start: PictureStart): void;
  /**
   * Paints a step and sends its frame: through `emit` on this thread, straight to the page aside. The
   * floats may be moved to another thread: they belong to the painter from here on. Resolves when the
   * frame is sent, with when (ms since the epoch, comparable across threads).
   */
  paint(floats: StepFloats, envelope: FrameEnvelope, emit: (event: FrameEvent) => void): Promise<{ sentAt: number }>;
  /** Sends an event after every frame painted so far (a run's end), in that order. */
  after(event: EngineEvent, emit: (event: EngineEvent) => void): void;
}

/** The frame event of a painted step: `ms` the painting's time, on the step's path or aside. */
export function frameEvent(envelope: FrameEnvelope, frame: ReturnType<StepPictures['paint']>, ms: number, aside: boolean): FrameEvent {
  const { runId, index, t, msPerStep, profile } = envelope;
  return {
    type: 'frame',
    runId,
    frame: { index, t, ...frame },
    msPerStep: aside ? msPerStep : msPerStep + ms,
    profile: aside ? { ...profile, aside: ms } : { ...profile, pixels: profile.pixels + ms },
  };
}

const epochNow = () => performance.timeOrigin + performance.now();

/** Paints on this thread, at once: the step waits for it. */
export function localPainter(): StepPainter {
  let pictures: StepPictures | null = null;
  return {
    aside: false,
    begin: (start) => {
      pictures = new StepPictures(start);
    },
    paint: (floats, envelope, emit) => {
      if (!pictures) return Promise.reject(new Error('a step painted before its run began'));
      const t0 = performance.now();
      const frame = pictures.paint(floats);
      emit(frameEvent(envelope, frame, performance.now() - t0, false));
      return Promise.resolve({ sentAt: epochNow() });
    },
    after: (event, emit) => emit(event),
  };
}
