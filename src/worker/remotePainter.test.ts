import { describe, expect, it } from 'vitest';
import { StepPictures, type PictureStart, type StepFloats } from '../core/engine/stepPictures';
import { remotePainter } from './remotePainter';
import type { PainterReply, PainterRequest } from './stepPainterProtocol';

const size = { width: 2, height: 1 };
const start: PictureStart = { size, reference: Float32Array.from([0.5, 0.5, 0.5, -0.5, -0.5, -0.5]), start: new Float32Array(6) };
const floats = (v: number, first = false): StepFloats => {
  const batch = () => new Float32Array(12).fill(v);
  return { first, truth: new Float32Array(6).fill(v), directPath: new Float32Array(6).fill(v), xt: batch(), x0: batch(), atS: batch(), atPrev: batch() };
};

/** A worker's stand-in that runs stepPictures as the real one does, answering on a later task (or failing, when told). */
class FakeWorker {
  onmessage: ((e: MessageEvent<PainterReply>) => void) | null = null;
  onerror: ((e: ErrorEvent) => void) | null = null;
  transferred: number[] = [];
  private pictures: StepPictures | null = null;
  postMessage(msg: PainterRequest, transfer: Transferable[] = []) {
    this.transferred.push(transfer.length);
    if (msg.type === 'begin') this.pictures = new StepPictures(msg.start);
    else {
      const frame = this.pictures!.paint(msg.floats);
      setTimeout(() => this.onmessage?.({ data: { id: msg.id, frame, ms: 1 } } as MessageEvent<PainterReply>));
    }
  }
  fail() {
    this.onerror?.({ message: 'boom', preventDefault: () => {} } as ErrorEvent);
  }
  terminate() {}
}

describe('the pictures’ worker, seen from the sampler’s worker', () => {
  it('paints aside what this thread would, moving the floats (each buffer once)', async () => {
    const fake = new FakeWorker();
    const painter = remotePainter(() => fake as unknown as Worker);
    painter.begin(start);
    const painted = await painter.paint(floats(0.5, true));
    const here = new StepPictures(start).paint(floats(0.5, true));
    expect(painter.aside).toBe(true);
    expect(painted.frame).toEqual(here);
    expect(fake.transferred).toEqual([0, 6]);
  });

  it('when it fails, the run under way ends with the reason and the next run is painted here', async () => {
    const fake = new FakeWorker();
    const painter = remotePainter(() => fake as unknown as Worker);
    painter.begin(start);
    const waiting = painter.paint(floats(0.1, true));
    fake.fail();
    await expect(waiting).rejects.toThrow(/pictures' worker stopped: boom/);
    await expect(painter.paint(floats(0.2))).rejects.toThrow(/stopped/);
    expect(painter.aside).toBe(false);
    painter.begin(start);
    const painted = await painter.paint(floats(0.3, true));
    expect(painted.frame).toEqual(new StepPictures(start).paint(floats(0.3, true)));
  });

  it('where no worker can start (as under Node), paints here from the first run', async () => {
    const painter = remotePainter(() => {
      throw new ReferenceError('Worker is not defined');
    });
    painter.begin(start);
    expect(painter.aside).toBe(false);
    expect((await painter.paint(floats(0.4, true))).frame.naive.step).not.toBeNull();
  });
});
