import { describe, expect, it } from 'vitest';
import { yieldToEvents } from './yieldToEvents';

describe('yielding between steps', () => {
  it('lets a task queued before it run first, and chains deep without a clamp', async () => {
    const order: string[] = [];
    setTimeout(() => order.push('queued before'), 0);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const waiting = new MessageChannel();
    waiting.port1.onmessage = () => order.push('message waiting');
    waiting.port2.postMessage(null);
    await yieldToEvents();
    order.push('after the yield');
    waiting.port1.close();
    expect(order).toEqual(['queued before', 'message waiting', 'after the yield']);
    const t0 = performance.now();
    for (let i = 0; i < 50; i++) await yieldToEvents();
    // setTimeout(0) chained 50 deep would take 4 ms a link after the fifth in a browser.
    expect((performance.now() - t0) / 50).toBeLessThan(4);
  });
});
