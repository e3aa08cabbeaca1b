/// <reference lib="webworker" />
// The step's pictures and figures (src/core/engine/stepPictures.ts), made here while the sampler's
// worker runs the next forward. Messages in order: a run begins, then its steps.
import { frameBuffers, StepPictures } from '../core/engine/stepPictures';
import type { PainterReply, PainterRequest } from './stepPainterProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let pictures: StepPictures | null = null;

scope.onmessage = (event: MessageEvent<PainterRequest>) => {
  const msg = event.data;
  if (msg.type === 'begin') {
    pictures = new StepPictures(msg.start);
    return;
  }
  let reply: PainterReply;
  try {
    if (!pictures) throw new Error('a step painted before its run began');
    const t0 = performance.now();
    const frame = pictures.paint(msg.floats);
    reply = { id: msg.id, frame, ms: performance.now() - t0 };
  } catch (e) {
    reply = { id: msg.id, error: (e as Error).message || String(e) };
  }
  scope.postMessage(reply, 'frame' in reply ? frameBuffers(reply.frame) : []);
};
