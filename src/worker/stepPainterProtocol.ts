import type { PictureStart, StepFloats, StepFrame } from '../core/engine/stepPictures';

export type PainterRequest = { type: 'begin'; start: PictureStart } | { type: 'paint'; id: number; floats: StepFloats };
export type PainterReply = { id: number; frame: StepFrame; ms: number } | { id: number; error: string };
