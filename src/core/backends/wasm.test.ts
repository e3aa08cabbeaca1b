import { describe, expect, it } from 'vitest';
import { MAX_LOOKS, MORE_LOOKS_MS, wasmPolicy, type WasmEnvironment } from './wasm';

/**
 * A WASM environment that records what the policy sets; `freeCores`: what each look of the spin test
 * finds, in turn (default: all cores), the last one repeated; `lookMs`: how long a look takes on its
 * clock; `running`: the threads tfjs reports.
 */
function fakeWasm({ freeCores, running, lookMs = 60, ...over }: Partial<WasmEnvironment> & { freeCores?: number | null | (number | null)[]; running?: number; lookMs?: number } = {}) {
  const calls = { flags: new Map<string, boolean | number>(), threads: null as number | null, logicalCores: null as number | null, poolSize: null as number | null, measured: [] as number[] };
  const looks = Array.isArray(freeCores) ? [...freeCores] : [freeCores];
  let clock = 0;
  const env: WasmEnvironment = {
    crossOriginIsolated: true,
    hardwareConcurrency: 2,
    now: () => clock,
    waitForPage: async () => {
      calls.measured.push(0);
    },
    measureFreeCores: async (count) => {
      calls.measured.push(count);
      clock += lookMs;
      const found = looks.length > 1 ? looks.shift() : looks[0];
      return found === undefined ? count : found;
    },
    setFlag: (name, value) => calls.flags.set(name, value),
    setThreadsCount: (n) => (calls.threads = n),
    getThreadsCount: () => running ?? calls.threads ?? 1,
    setLogicalCores: (n) => (calls.logicalCores = n),
    setPoolSize: (n) => (calls.poolSize = n),
    ...over,
  };
  return { env, calls };
}

describe('the WASM policy', () => {
  it('runs the plain build on one thread when the page is not cross-origin isolated, without measuring', async () => {
    const { env, calls } = fakeWasm({ crossOriginIsolated: false });
    const wasm = wasmPolicy(env);
    await wasm.prepare!();
    expect(calls.flags.get('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(calls.threads).toBeNull();
    expect(calls.measured).toEqual([]);
    expect(wasm.describe!()).toMatchObject({ threads: 1, limitation: expect.stringMatching(/isolation/) });
  });

  it('keeps one thread where the second core is not there: every look sees it', async () => {
    const { env, calls } = fakeWasm({ freeCores: 1.0 });
    const wasm = wasmPolicy(env);
    await wasm.prepare!();
    // A look, the wait for the page's start to be over (0), two more looks.
    expect(calls.measured).toEqual([2, 0, 2, 2]);
    expect(calls.flags.get('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(wasm.describe!()?.detail).toMatch(/1\.0 of 2 cores/);
  });

  it('runs both threads after one look when another program holds a core (its share of that core adds speed)', async () => {
    const { env, calls } = fakeWasm({ freeCores: 1.2 });
    const wasm = wasmPolicy(env);
    await wasm.prepare!();
    expect(calls.measured).toEqual([2]);
    expect(calls.threads).toBe(2);
  });

  it("when a look gives fewer threads than cores, waits for the page's start to be over, looks again, and stops at the first look that gives a thread per core", async () => {
    const { env, calls } = fakeWasm({ freeCores: [1.0, 1.9, 1.0] });
    await wasmPolicy(env).prepare!();
    expect(calls.measured).toEqual([2, 0, 2]);
    expect(calls.threads).toBe(2);
  });

  it('looks once, without waiting for the page, when the first look finds the cores free', async () => {
    const { env, calls } = fakeWasm({ freeCores: [1.9, 1.0] });
    await wasmPolicy(env).prepare!();
    expect(calls.measured).toEqual([2]);
    expect(calls.threads).toBe(2);
  });

  it(`stops looking ${MORE_LOOKS_MS} ms after the page's start is over, however many looks that made`, async () => {
    const { env, calls } = fakeWasm({ freeCores: [1.0, 0.9, 1.9], lookMs: MORE_LOOKS_MS + 1 });
    await wasmPolicy(env).prepare!();
    expect(calls.measured.filter((c) => c > 0)).toHaveLength(2);
    expect(calls.flags.get('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
  });

  it(`takes at most ${MAX_LOOKS} looks, and the most free cores any of them saw`, async () => {
    const { env, calls } = fakeWasm({ freeCores: [0.9, 1.02, 0.95, 2], lookMs: 1 });
    const wasm = wasmPolicy(env);
    await wasm.prepare!();
    expect(calls.measured.filter((c) => c > 0)).toHaveLength(MAX_LOOKS);
    expect(wasm.describe!()?.detail).toMatch(/1\.0 of 2 cores/);
  });

  it('runs one thread when the spin test cannot tell, without looking again', async () => {
    const { env, calls } = fakeWasm({ freeCores: null });
    const wasm = wasmPolicy(env);
    await wasm.prepare!();
    expect(calls.measured).toEqual([2]);
    expect(wasm.describe!()?.detail).toMatch(/not measured/);
  });

  it('starts two threads when both cores are free, telling the glue of twice as many logical cores and to start a pool of two workers', async () => {
    const { env, calls } = fakeWasm({ freeCores: 1.95 });
    const wasm = wasmPolicy(env);
    await wasm.prepare!();
    expect(calls.threads).toBe(2);
    expect(calls.logicalCores).toBe(4);
    expect(calls.poolSize).toBe(2);
    expect(calls.flags.has('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(wasm.describe!()).toEqual({ detail: '2 threads of 2 cores', threads: 2, limitation: null });
  });

  it('takes a requested count without measuring, and says when tfjs runs fewer', async () => {
    const { env, calls } = fakeWasm({ hardwareConcurrency: 4, running: 1 });
    const wasm = wasmPolicy(env);
    wasm.requestThreads(3);
    await wasm.prepare!();
    expect(calls.measured).toEqual([]);
    expect(calls.threads).toBe(3);
    expect(wasm.describe!()).toEqual({ detail: '1 thread (3 asked: 3 threads (asked for))', threads: 1, limitation: null });
  });

  it('chooses once: tfjs-wasm reads its thread count only when it first starts', async () => {
    const { env, calls } = fakeWasm();
    const wasm = wasmPolicy(env);
    expect(wasm.describe!()).toBeNull();
    await wasm.prepare!();
    wasm.requestThreads(1);
    await wasm.prepare!();
    expect(calls.measured).toEqual([2]);
    expect(calls.threads).toBe(2);
  });

  it("starts a return visit from the count its last visit measured without looking, then looks when asked, for the next visit", async () => {
    const { env, calls } = fakeWasm({ freeCores: 1.0 });
    const wasm = wasmPolicy(env);
    wasm.rememberThreads(2);
    await wasm.prepare!();
    expect(calls.measured).toEqual([]);
    expect(calls.threads).toBe(2);
    expect(wasm.measuredThreads()).toBeNull();
    expect(wasm.describe!()?.detail).toMatch(/last visit/);
    // The second core is not there now: every look sees it, and the next visit starts from what they found.
    await expect(wasm.lookAgain()).resolves.toBe(1);
    expect(calls.measured).toEqual([2, 0, 2, 2]);
  });

  it('a first visit looks at the start, reports what it found, and has nothing to look at again', async () => {
    const { env, calls } = fakeWasm({});
    const wasm = wasmPolicy(env);
    await expect(wasm.lookAgain()).resolves.toBeNull();
    await wasm.prepare!();
    expect(wasm.measuredThreads()).toBe(2);
    await expect(wasm.lookAgain()).resolves.toBeNull();
    expect(calls.measured).toEqual([2]);
  });

  it('neither looks nor reports where the count was asked for', async () => {
    const { env, calls } = fakeWasm({});
    const wasm = wasmPolicy(env);
    wasm.requestThreads(1);
    wasm.rememberThreads(2);
    await wasm.prepare!();
    expect(calls.threads).toBeNull();
    expect(wasm.measuredThreads()).toBeNull();
    await expect(wasm.lookAgain()).resolves.toBeNull();
    expect(calls.measured).toEqual([]);
  });
});
