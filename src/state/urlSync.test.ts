import { describe, expect, it, vi } from 'vitest';
import { useAppStore } from './store';
import { PLAYING_LINK_MS, syncWithUrl } from './urlSync';

/** A window with just what syncWithUrl touches. */
function fakeWindow(hash: string) {
  const listeners = new Map<string, () => void>();
  const win = {
    location: { hash },
    history: { replaceState: (_: unknown, __: string, url: string) => (win.location.hash = url) },
    addEventListener: (type: string, fn: () => void) => listeners.set(type, fn),
    removeEventListener: (type: string) => listeners.delete(type),
  };
  return { win, fire: (type: string) => listeners.get(type)?.() };
}

describe('syncWithUrl', () => {
  it('loads the view from the link, writes changes back, and follows pasted links', () => {
    const { win, fire } = fakeWindow('#img=kite&deg=blur&t=12&backend=wasm&frame=3&fps=4');
    const stop = syncWithUrl(useAppStore, win as unknown as Window);
    expect(useAppStore.getState().view).toMatchObject({ image: 'kite', t: 12, frame: 3, backend: 'wasm', fps: 4 });

    useAppStore.getState().setStep(30);
    expect(win.location.hash).toBe('#mode=restore&img=kite&deg=blur&data=faces&sigma=0.002&t=30&steps=30&backend=wasm&frame=0&fps=4&seed=1&restorer=trained&explain=0&chart=1&sweep=0&present=0');

    win.location.hash = '#img=cups&t=7&frame=7';
    fire('hashchange');
    expect(useAppStore.getState().view).toMatchObject({ image: 'cups', t: 7, frame: 7, backend: 'auto' });
    stop();
  });

  it('tells the visitor what was wrong with a malformed link', () => {
    useAppStore.setState({ notices: [] });
    const { win } = fakeWindow('#t=999&img=%%%');
    const stop = syncWithUrl(useAppStore, win as unknown as Window);
    const texts = useAppStore.getState().notices.map((n) => n.text);
    expect(texts.some((t) => /step t 999 is outside/.test(t))).toBe(true);
    expect(texts.some((t) => /sample image/.test(t))).toBe(true);
    expect(win.location.hash).toMatch(/t=38/);
    stop();
  });

  it('while a run plays the address follows the frame every PLAYING_LINK_MS, and at once when it stops; other changes at once', () => {
    vi.useFakeTimers();
    try {
      const { win } = fakeWindow('#img=kite&deg=blur&t=12&backend=wasm&frame=0&fps=4');
      let writes = 0;
      const replace = win.history.replaceState;
      win.history.replaceState = (...args) => (writes++, replace(...args));
      const stop = syncWithUrl(useAppStore, win as unknown as Window);
      writes = 0;
      useAppStore.setState({ playing: true });
      for (const frame of [1, 2, 3]) useAppStore.setState((s) => ({ view: { ...s.view, frame } }));
      expect(writes).toBe(0);
      vi.advanceTimersByTime(PLAYING_LINK_MS);
      expect(writes).toBe(1);
      expect(win.location.hash).toMatch(/frame=3/);
      useAppStore.setState((s) => ({ view: { ...s.view, frame: 4 } }));
      // Another setting: written at once, frame and all.
      useAppStore.setState((s) => ({ view: { ...s.view, seed: 9 } }));
      expect(win.location.hash).toMatch(/frame=4.*seed=9/);
      useAppStore.setState((s) => ({ view: { ...s.view, frame: 5 } }));
      // Paused: the frame it stopped at, at once.
      useAppStore.setState({ playing: false });
      expect(win.location.hash).toMatch(/frame=5/);
      useAppStore.setState((s) => ({ view: { ...s.view, frame: 2 } }));
      expect(win.location.hash).toMatch(/frame=2/);
      stop();
    } finally {
      vi.useRealTimers();
    }
  });
});
