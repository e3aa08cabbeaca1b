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
  it('uses both cores when another program holds one of them: a share of the busy core still adds speed', () => {
    // Two spinners sharing the cores with a busy program each ran at about 2/3 of their solo speed; 2 threads ran 1.3x faster than 1 (2026-12-07).
    const c = chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: 1.33 });
    expect(c.threads).toBe(2);
    expect(c.reason).toMatch(/1\.3 of 2 cores/);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: 1.09 }).threads).toBe(2);
  });
  it('keeps one thread where the second core is not there at all (two spinners shared one core)', () => {
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: 1.0 }).threads).toBe(1);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: 1.04 }).threads).toBe(1);
  });
  it('follows the free cores on larger machines, up to the pool tfjs starts', () => {
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 8, freeCores: 5.6 }).threads).toBe(6);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 8, freeCores: 5.03 }).threads).toBe(5);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 32, freeCores: 31 }).threads).toBe(MAX_WASM_THREADS);
  });
  it('never goes above the cores there are or below one', () => {
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 4, freeCores: 9 }).threads).toBe(4);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 4, freeCores: 0.2 }).threads).toBe(1);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 0, freeCores: null }).threads).toBe(1);
  });
  it("starts a return visit with the count its last visit measured, within the cores there are; a measurement or a request wins", () => {
    const c = chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: null, remembered: 2 });
    expect(c).toMatchObject({ threads: 2, reason: expect.stringMatching(/last visit/) });
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 32, freeCores: null, remembered: 16 }).threads).toBe(MAX_WASM_THREADS);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: 1.0, remembered: 2 }).threads).toBe(1);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: null, remembered: 2, requested: 1 }).threads).toBe(1);
    expect(chooseWasmThreads({ isolated: false, hardwareConcurrency: 2, freeCores: null, remembered: 2 }).threads).toBe(1);
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: null, remembered: 0 }).reason).toMatch(/not measured/);
  });
  it('takes an explicit request where threads are possible, not where they are not', () => {
    expect(chooseWasmThreads({ isolated: true, hardwareConcurrency: 2, freeCores: 1, requested: 2 }).threads).toBe(2);
    expect(chooseWasmThreads({ isolated: false, hardwareConcurrency: 2, freeCores: 2, requested: 2 }).threads).toBe(1);
  });
});
