/**
 * The WASM thread count this device's last visit measured, kept in the page's own storage (nothing leaves
 * the device): a return visit starts with it instead of the spin test, and looks again once idle
 * (src/core/backends/wasm.ts). Kept with the core count it was measured on, so another machine (a
 * synced profile, a changed VM) looks again.
 */
const KEY = 'cold-diffusion-lab:wasm-threads';

type StorageLike = Pick<Storage, 'getItem' | 'setItem'>;

/** The storage where the page may use it; null where it throws (storage blocked, some private modes). */
function storage(): StorageLike | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function rememberedThreads(cores: number, store: StorageLike | null = storage()): number | null {
  try {
    const saved = JSON.parse(store?.getItem(KEY) ?? 'null') as { threads?: unknown; cores?: unknown } | null;
    const threads = saved?.threads;
    return saved?.cores === cores && typeof threads === 'number' && Number.isInteger(threads) && threads >= 1 && threads <= cores ? threads : null;
  } catch {
    return null;
  }
}

export function rememberThreads(threads: number, cores: number, store: StorageLike | null = storage()): void {
  try {
    store?.setItem(KEY, JSON.stringify({ threads, cores }));
  } catch {
    // Full or blocked storage: the next visit measures again.
  }
}
