import { describe, expect, it } from 'vitest';
import { backendPolicies, type BackendEnvironment } from './index';

function environment(canvas: EventTarget | null) {
  const flags = new Map<string, boolean | number>();
  const env: BackendEnvironment = {
    crossOriginIsolated: false,
    hardwareConcurrency: 2,
    measureFreeCores: async () => 2,
    setFlag: (name, value) => flags.set(name, value),
    setThreadsCount: () => {},
    getThreadsCount: () => 1,
    setLogicalCores: () => {},
    setPoolSize: () => {},
    now: () => 0,
    waitForPage: async () => {},
    webglCanvas: () => canvas,
    webgpuDeviceLost: () => null,
  };
  return { env, flags };
}

describe('the backend policies', () => {
  it('prepares and describes each backend by its own entry; the CPU needs nothing', async () => {
    const { env, flags } = environment(null);
    const policies = backendPolicies(env);
    await policies.prepareBackend('cpu');
    await policies.prepareBackend('webgl');
    expect(flags.size).toBe(0);
    expect(policies.describeBackend('cpu')).toBeNull();
    await policies.prepareBackend('webgpu');
    await policies.prepareBackend('wasm');
    expect([...flags.keys()]).toEqual(['WEBGPU_MATMUL_PROGRAM_TYPE', 'WASM_HAS_MULTITHREAD_SUPPORT']);
    expect(policies.describeBackend('wasm')?.threads).toBe(1);
  });

  it('watches a backend for loss only under its own name', () => {
    const canvas = new EventTarget();
    const policies = backendPolicies(environment(canvas).env);
    const reasons: string[] = [];
    policies.watchForLoss('wasm', (why) => reasons.push(`wasm: ${why}`));
    policies.watchForLoss('webgl', (why) => reasons.push(`webgl: ${why}`));
    canvas.dispatchEvent(new Event('webglcontextlost'));
    expect(reasons).toEqual(['webgl: its WebGL context was lost']);
  });
});
