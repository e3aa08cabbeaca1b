import { describe, expect, it } from 'vitest';
import { wasmPolicy, type WasmEnvironment } from './wasm';

/** A WASM environment that records what the policy sets; `freeCores`: what the spin test finds (default: all); `running`: the threads tfjs reports. */
function fakeWasm({ freeCores, running, ...over }: Partial<WasmEnvironment> & { freeCores?: number | null; running?: number } = {}) {
  const calls = { flags: new Map<string, boolean | number>(), threads: null as number | null, logicalCores: null as number | null, measured: [] as number[] };
  const env: WasmEnvironment = {
    crossOriginIsolated: true,
    hardwareConcurrency: 2,
    measureFreeCores: async (count) => {
      calls.measured.push(count);
      return freeCores === undefined ? count : freeCores;
    },
    setFlag: (name, value) => calls.flags.set(name, value),
    setThreadsCount: (n) => (calls.threads = n),
    getThreadsCount: () => running ?? calls.threads ?? 1,
    setLogicalCores: (n) => (calls.logicalCores = n),
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

  it('keeps one thread when another process holds one of two cores (seen twice)', async () => {
    const { env, calls } = fakeWasm({ freeCores: 1.33 });
    const wasm = wasmPolicy(env);
    await wasm.prepare!();
    expect(calls.measured).toEqual([2, 2]);
    expect(calls.flags.get('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
    expect(wasm.describe!()?.detail).toMatch(/1\.3 of 2 cores/);
  });

  it("looks again when the first look finds a core busy: the page's own start is a burst, not lasting load", async () => {
    const looks = [1.3, 1.9];
    const { env, calls } = fakeWasm({ measureFreeCores: async (count) => (calls.measured.push(count), looks.shift() ?? null) });
    const wasm = wasmPolicy(env);
    await wasm.prepare!();
    expect(calls.measured).toEqual([2, 2]);
    expect(calls.threads).toBe(2);
  });

  it('starts two threads when both cores are free, telling the glue of twice as many logical cores', async () => {
    const { env, calls } = fakeWasm({ freeCores: 1.95 });
    const wasm = wasmPolicy(env);
    await wasm.prepare!();
    expect(calls.threads).toBe(2);
    expect(calls.logicalCores).toBe(4);
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
});
