import { describe, expect, it } from 'vitest';
import { chooseWasmThreads, MAX_WASM_THREADS } from './threads';

describe('chooseWasmThreads', () => {
  it('uses one thread and says why when the page is not cross-origin isolated', () => {
    const c = chooseWasmThreads({ isolated: false, hardwareConcurrency: 8, freeCores: 8 });
    expect(c.threads).toBe(1);
    expect(c.limitation).toMatch(/isolation/);
  });
  it('uses both cores of an idle 2-core machine (tfjs alone would use one)', () => {
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: 1.93 }).threads).toBe(2);
  });
  it('keeps one thread on 2 cores when another process holds one of them', () => {
    // Two spinners sharing a core with a busy process each ran at about 2/3 of their solo speed.
    const c = chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: 1.33 });
    expect(c.threads).toBe(1);
    expect(c.reason).toMatch(/1\.3 of 2 cores/);
  });
  it('follows the free cores on larger machines, up to the pool tfjs starts', () => {
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 8, freeCores: 5.6 }).threads).toBe(6);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 32, freeCores: 31 }).threads).toBe(MAX_WASM_THREADS);
  });
  it('never goes above the cores there are or below one', () => {
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 4, freeCores: 9 }).threads).toBe(4);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 4, freeCores: 0.2 }).threads).toBe(1);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 0, freeCores: null }).threads).toBe(1);
  });
  it('takes an explicit request where threads are possible, not where they are not', () => {
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: 1, requested: 2 }).threads).toBe(2);
    expect(chooseWasmThreads({ isolated: false, hardwareConcurrency: 2, freeCores: 2, requested: 2 }).threads).toBe(1);
  });
});
