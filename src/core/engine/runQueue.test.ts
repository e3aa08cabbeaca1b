import { describe, expect, it } from 'vitest';
import { RunQueue, Superseded } from './runQueue';

describe('the run queue', () => {
  it('runs one job at a time, in order, even after one fails', async () => {
    const queue = new RunQueue();
    const order: string[] = [];
    const failing = queue.serial(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push('a');
      throw new Error('a failed');
    });
    const next = queue.serial(async () => order.push('b'));
    await expect(failing).rejects.toThrow('a failed');
    await next;
    await queue.idle();
    expect(order).toEqual(['a', 'b']);
  });

  it('counts the operations queued or under way, failed ones included', async () => {
    const queue = new RunQueue();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const first = queue.serial(() => gate);
    const second = queue.serial(async () => {
      throw new Error('failed');
    });
    expect(queue.pending).toBe(2);
    release();
    await first;
    await expect(second).rejects.toThrow('failed');
    expect(queue.pending).toBe(0);
  });

  it('stops a superseded run at its next check, and ends its waits at once', async () => {
    const queue = new RunQueue();
    queue.current = 1;
    const waiting = queue.whileCurrent(1, new Promise<never>(() => {}));
    expect(() => queue.check(1)).not.toThrow();
    queue.current = 2;
    await expect(waiting).rejects.toBeInstanceOf(Superseded);
    expect(() => queue.check(1)).toThrow(Superseded);
    await expect(queue.whileCurrent(2, Promise.resolve('model'))).resolves.toBe('model');
  });
});
