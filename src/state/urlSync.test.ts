import { describe, expect, it } from 'vitest';
import { useAppStore } from './store';
import { syncWithUrl } from './urlSync';

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
});
