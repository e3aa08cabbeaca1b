/// <reference lib="webworker" />
// The step's pictures and figures (src/core/engine/stepPictures.ts), made here while the sampler's
// worker runs the next forward, and posted straight to the page: through the sampler's worker they
// would wait for that forward to end. Messages in order: the page's port, then runs and their steps.
import { frameEvent } from '../core/engine/stepPainter';
import { frameBuffers, StepPictures } from '../core/engine/stepPictures';
import type { PainterReply, PainterRequest } from './stepPainterProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
let pictures: StepPictures | null = null;
let outlet: MessagePort | null = null;

scope.onmessage = (event: MessageEvent<PainterRequest>) => {
  const msg = event.data;
  if (msg.type === 'outlet') outlet = msg.port;
  else if (msg.type === 'begin') pictures = new StepPictures(msg.start);
  else {
    let reply: PainterReply;
    try {
      if (!outlet) throw new Error('no way to the page');
      if (msg.type === 'after') outlet.postMessage(msg.event);
      else {
        if (!pictures) throw new Error('a step painted before its run began');
        const t0 = performance.now();
        const frame = pictures.paint(msg.floats);
        outlet.postMessage(frameEvent(msg.envelope, frame, performance.now() - t0, true), frameBuffers(frame));
      }
      reply = { id: msg.id, sentAt: performance.timeOrigin + performance.now() };
    } catch (e) {
      reply = { id: msg.id, error: (e as Error).message || String(e) };
    }
    scope.postMessage(reply);
  }
};
