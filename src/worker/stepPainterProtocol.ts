import type { EngineEvent } from '../core/engine/events';
import type { FrameEnvelope } from '../core/engine/stepPainter';
import type { PictureStart, StepFloats } from '../core/engine/stepPictures';

/** From the sampler's worker to the pictures' worker, in order. `outlet`: where the frames go (the page). */
export type PainterRequest =
  | { type: 'outlet'; port: MessagePort }
  | { type: 'begin'; start: PictureStart }
  | { type: 'paint'; id: number; floats: StepFloats; envelope: FrameEnvelope }
  | { type: 'after'; id: number; event: EngineEvent };
/** A step's frame, or an event after them, sent to the page (when, ms since the epoch), or why not. */
export type PainterReply = { id: number; sentAt: number } | { id: number; error: string };
