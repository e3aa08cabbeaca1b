import { beforeAll, describe, expect, it } from 'vitest';
import type { BackendProbe } from '../backend';
import { useCpuBackend } from '../testing/fixtures';
import { BackendSwitch } from './backendSwitch';
import type { EngineEvent } from './events';

beforeAll(useCpuBackend);

const probes: BackendProbe[] = [
  { name: 'webgpu', available: false, software: false, detail: 'no adapter' },
  { name: 'webgl', available: false, software: false, detail: 'no WebGL2' },
  { name: 'wasm', available: true, software: false, detail: 'WebAssembly' },
  { name: 'cpu', available: true, software: false, detail: 'plain JavaScript' },
];

/** Probes that finish only when released, like a slow WebGL context or adapter request. */
function slowProbes() {
  let release: () => void = () => {};
  const done = new Promise<void>((resolve) => (release = resolve));
  return { probe: () => done.then(() => probes), release: () => release() };
}

describe('choosing and starting a backend', () => {
  it('starts WASM, when chosen, without waiting for the GPU probes; it reports once they are in', async () => {
    const slow = slowProbes();
    const events: EngineEvent[] = [];
    const prepared: string[] = [];
    const backends = new BackendSwitch({ emit: (e) => events.push(e), probe: slow.probe, prepareBackend: (name) => void prepared.push(name) }, () => {});
    expect(await backends.choose('wasm')).toEqual(['wasm']);
    // WASM's own failure here (tfjs-wasm is not registered in this test) leads to the next in the full order, known once the probes finish.
    const started = backends.start(['wasm'], null);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(prepared).toEqual(['wasm']);
    expect(events).toEqual([]);
    slow.release();
    await started;
    expect(prepared).toEqual(['wasm', 'cpu']);
    const backend = events.find((e) => e.type === 'backend');
    expect(backend).toMatchObject({ type: 'backend', name: 'cpu', probes, fallbackFrom: ['wasm'] });
    expect(backend?.type === 'backend' && backend.reason).toMatch(/WASM failed/);
  });

  it('waits for the probes for automatic choice: the order depends on them', async () => {
    const slow = slowProbes();
    const backends = new BackendSwitch({ emit: () => {}, probe: slow.probe }, () => {});
    let chosen: string[] | null = null;
    const choosing = backends.choose('auto').then((order) => (chosen = order));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(chosen).toBeNull();
    slow.release();
    expect(await choosing).toEqual(['wasm', 'cpu']);
  });
});
