import { describe, expect, it } from 'vitest';
import type { EngineEvent } from '../core/engine/events';
import { frameEvent, PainterStopped, type FrameEnvelope } from '../core/engine/stepPainter';
import { frameBuffers, StepPictures, type PictureStart, type StepFloats } from '../core/engine/stepPictures';
import { remotePainter } from './remotePainter';
import type { PainterReply, PainterRequest } from './stepPainterProtocol';

const size = { width: 2, height: 1 };
const start: PictureStart = { size, reference: Float32Array.from([0.5, 0.5, 0.5, -0.5, -0.5, -0.5]), start: new Float32Array(6) };
const floats = (v: number, first = false): StepFloats => {
  const batch = () => new Float32Array(12).fill(v);
  return { first, truth: new Float32Array(6).fill(v), directPath: new Float32Array(6).fill(v), xt: batch(), x0: batch(), atS: batch(), atPrev: batch() };
};
const envelope = (index: number): FrameEnvelope => ({ runId: 7, index, t: 10 - index, msPerStep: 100, profile: { network: 90, operators: 5, paths: 2, readBack: 1, pixels: 0, handOff: 1, aside: 0 } });

/** What the page's port receives, in order, with what was moved. */
class FakePort {
  received: { data: unknown; moved: number }[] = [];
  postMessage(data: unknown, transfer: Transferable[] = []) {
    this.received.push({ data, moved: transfer.length });
  }
}

/** A worker's stand-in that does what stepPainter.worker.ts does, answering on a later task (or failing, when told). */
class FakeWorker {
  onmessage: ((e: MessageEvent<PainterReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  moved: number[] = [];
  private pictures: StepPictures | null = null;
  private outlet: FakePort | null = null;
  /** Replies held back (to fail in between), else answered on a later task. */
  hold = false;
  held: PainterReply[] = [];
  postMessage(sent: PainterRequest, transfer: Transferable[] = []) {
    this.moved.push(transfer.length);
    // As across threads: what is moved is gone from the sender (a read of it there would find it detached).
    const msg = sent.type === 'outlet' ? sent : structuredClone(sent, { transfer: transfer as ArrayBuffer[] });
    if (msg.type === 'outlet') this.outlet = msg.port as unknown as FakePort;
    else if (msg.type === 'begin') this.pictures = new StepPictures(msg.start);
    else {
      if (msg.type === 'after') this.outlet!.postMessage(msg.event);
      else {
        const frame = this.pictures!.paint(msg.floats);
        this.outlet!.postMessage(frameEvent(msg.envelope, frame, 3, true), frameBuffers(frame));
      }
      const reply: PainterReply = { id: msg.id, sentAt: 1 };
      if (this.hold) this.held.push(reply);
      else setTimeout(() => this.onmessage?.({ data: reply } as MessageEvent<PainterReply>));
    }
  }
  fail() {
    this.onerror?.({ message: 'boom', preventDefault: () => {} } as ErrorEvent);
  }
  terminate() {}
}

const setUp = () => {
  const port = new FakePort();
  const fake = new FakeWorker();
  const painter = remotePainter(port as unknown as MessagePort, () => fake as unknown as Worker);
  return { port, fake, painter };
};
const nothingHere = () => {
  throw new Error('painted aside, nothing is emitted here');
};

describe('the pictures’ worker, seen from the sampler’s worker', () => {
  it('paints aside what this thread would and posts the frame to the page, then what comes after it, in order', async () => {
    const { port, fake, painter } = setUp();
    painter.begin(start);
    await painter.paint(floats(0.5, true), envelope(1), nothingHere);
    painter.after({ type: 'runDone', runId: 7, msPerStep: 100 }, nothingHere);
    expect(painter.aside).toBe(true);
    // The port, the run's start, the step's six arrays moved (each buffer once), and the run's end.
    expect(fake.moved).toEqual([1, 0, 6, 0]);
    expect(fake.held).toEqual([]);
    const [frame, done] = port.received.map((r) => r.data as EngineEvent);
    expect(frame).toEqual(frameEvent(envelope(1), new StepPictures(start).paint(floats(0.5, true)), 3, true));
    expect(port.received[0]!.moved).toBeGreaterThan(0);
    expect(done).toEqual({ type: 'runDone', runId: 7, msPerStep: 100 });
  });

  it('when it fails, the run under way ends with the reason and the next run is painted here', async () => {
    const { fake, painter } = setUp();
    painter.begin(start);
    const waiting = painter.paint(floats(0.1, true), envelope(1), nothingHere);
    fake.fail();
    await expect(waiting).rejects.toThrow(PainterStopped);
    await expect(waiting).rejects.toThrow(/pictures' worker stopped: boom/);
    await expect(painter.paint(floats(0.2), envelope(2), nothingHere)).rejects.toThrow(PainterStopped);
    expect(painter.aside).toBe(false);
    painter.begin(start);
    const here: EngineEvent[] = [];
    await painter.paint(floats(0.3, true), envelope(1), (e) => here.push(e));
    painter.after({ type: 'runDone', runId: 7, msPerStep: 100 }, (e) => here.push(e));
    expect(here.map((e) => e.type)).toEqual(['frame', 'runDone']);
  });

  it('a run’s end it had not confirmed sending when it failed is sent here, once', async () => {
    const { fake, painter } = setUp();
    painter.begin(start);
    await painter.paint(floats(0.5, true), envelope(1), nothingHere);
    fake.hold = true;
    const here: EngineEvent[] = [];
    painter.after({ type: 'runDone', runId: 7, msPerStep: 100 }, (e) => here.push(e));
    fake.fail();
    expect(here).toEqual([{ type: 'runDone', runId: 7, msPerStep: 100 }]);
  });

  it('a step it could not paint (its reply an error) stops it: that run ends, the next is painted here', async () => {
    const { fake, painter } = setUp();
    painter.begin(start);
    fake.hold = true;
    const waiting = painter.paint(floats(0.5, true), envelope(1), nothingHere);
    fake.onmessage?.({ data: { id: 0, error: 'a step painted before its run began' } } as MessageEvent<PainterReply>);
    await expect(waiting).rejects.toThrow(/before its run began/);
    expect(painter.aside).toBe(false);
  });

  it('where no worker can start (as under Node), paints here from the first run', async () => {
    const painter = remotePainter(new FakePort() as unknown as MessagePort, () => {
      throw new ReferenceError('Worker is not defined');
    });
    painter.begin(start);
    expect(painter.aside).toBe(false);
    const here: EngineEvent[] = [];
    await painter.paint(floats(0.4, true), envelope(1), (e) => here.push(e));
    expect(here).toHaveLength(1);
  });
});
