import { describe, expect, it } from 'vitest';
import { rememberedThreads, rememberThreads } from './threadsMemory';

function memoryStorage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v), items };
}

describe('the remembered WASM thread count', () => {
  it('gives back what was kept, for the same number of cores only', () => {
    const store = memoryStorage();
    expect(rememberedThreads(2, store)).toBeNull();
    rememberThreads(2, 2, store);
    expect(rememberedThreads(2, store)).toBe(2);
    expect(rememberedThreads(4, store)).toBeNull();
    rememberThreads(1, 2, store);
    expect(rememberedThreads(2, store)).toBe(1);
  });

  it('ignores what it cannot trust: broken JSON, a count out of range, storage that throws', () => {
    const store = memoryStorage();
    store.items.set('cold-diffusion-lab:wasm-threads', '{not json');
    expect(rememberedThreads(2, store)).toBeNull();
    store.items.set('cold-diffusion-lab:wasm-threads', JSON.stringify({ threads: 9, cores: 2 }));
    expect(rememberedThreads(2, store)).toBeNull();
    store.items.set('cold-diffusion-lab:wasm-threads', JSON.stringify({ threads: 1.5, cores: 2 }));
    expect(rememberedThreads(2, store)).toBeNull();
    const throwing = {
      getItem: () => {
        throw new Error('blocked');
      },
      setItem: () => {
        throw new Error('full');
      },
    };
    expect(rememberedThreads(2, throwing)).toBeNull();
    expect(() => rememberThreads(2, 2, throwing)).not.toThrow();
    expect(rememberedThreads(2, null)).toBeNull();
  });
});
