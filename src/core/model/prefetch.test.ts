import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { PARITY_DIR, useCpuBackend } from '../testing/fixtures';
import { loadModel, ModelLoadError, type FileSource } from './loader';
import { directorySource } from './nodeSource';
import { prefetchModelFiles } from './prefetch';

beforeAll(useCpuBackend);

/** A folder source that counts reads per file and can hold them until released. */
function countingSource(hold = false) {
  const inner = directorySource(join(PARITY_DIR, 'unet-float32'));
  const reads = new Map<string, number>();
  const held: (() => void)[] = [];
  const source: FileSource = {
    location: inner.location,
    async read(name, onBytes, signal) {
      reads.set(name, (reads.get(name) ?? 0) + 1);
      if (hold) await new Promise<void>((resolve) => held.push(resolve));
      if (signal?.aborted) throw new ModelLoadError(`${name}: download cancelled`, 'cancelled');
      return inner.read(name, onBytes, signal);
    },
  };
  return { source, reads, release: () => held.splice(0).forEach((go) => go()) };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('reading a model ahead', () => {
  it('reads model.json and every shard once, before anyone asks; the load then takes them and checks them as usual', async () => {
    const { source, reads } = countingSource();
    const ahead = prefetchModelFiles(source);
    await tick();
    expect([...reads.keys()].sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    const progress: number[] = [];
    const loaded = await loadModel(ahead, (p) => progress.push(p.fraction));
    expect(loaded.unet.parameterCount).toBeGreaterThan(0);
    expect([...reads.values()]).toEqual([1, 1]);
    expect(progress.at(-1)).toBe(1);
    loaded.unet.dispose();
  });

  it('hands each file over once: a second load reads afresh', async () => {
    const { source, reads } = countingSource();
    const ahead = prefetchModelFiles(source);
    (await loadModel(ahead)).unet.dispose();
    (await loadModel(ahead)).unet.dispose();
    expect(reads.get('model.json')).toBe(2);
  });

  it('a load that gives up stops the reads ahead', async () => {
    const { source, release } = countingSource(true);
    const ahead = prefetchModelFiles(source);
    const controller = new AbortController();
    const load = loadModel(ahead, undefined, controller.signal);
    controller.abort();
    release();
    await expect(load).rejects.toThrow(/cancelled/);
  });

  it('a file that fails ahead fails the load that reads it, with the reason', async () => {
    const broken: FileSource = { location: 'nowhere/', read: async (name) => Promise.reject(new ModelLoadError(`Could not reach nowhere/${name}`, 'unreachable')) };
    const ahead = prefetchModelFiles(broken);
    await tick();
    await expect(loadModel(ahead)).rejects.toThrow(/Could not reach nowhere\/model.json/);
  });
});
