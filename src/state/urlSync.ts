import type { AppStore } from './store';
import { openLink } from './lesson';
import { shallow } from 'zustand/shallow';
import { formatLink, viewSettings, type ViewState } from './viewState';

/** How often the address follows the frame while a run plays (ms). */
export const PLAYING_LINK_MS = 500;

const onlyFrameChanged = (a: ViewState, b: ViewState) => a.frame !== b.frame && shallow(viewSettings(a), viewSettings(b));

/**
 * Two-way sync between the store's view and the page's hash. The hash is read once at
 * start and on every hashchange (a pasted link, back/forward); every view change
 * rewrites it with replaceState, so sliders don't flood the history.
 */
export function syncWithUrl(store: AppStore, win: Window = window): () => void {
  const applyHash = () => {
    // parseLink, and the lesson a link opens (its stops are views of the same table).
    const { state, notices } = openLink(win.location.hash);
    store.setState({ view: state, localImage: null, playing: false });
    // The notices of an earlier link no longer hold.
    store.getState().clearNotices('link');
    store.getState().clearNotices('lesson');
    for (const text of notices) store.getState().notify('warning', text, 'link');
  };
  applyHash();
  win.history.replaceState(null, '', formatLink(store.getState().view));
  const onHashChange = () => {
    if (win.location.hash !== formatLink(store.getState().view)) applyHash();
  };
  win.addEventListener('hashchange', onHashChange);
  let pending: ReturnType<typeof setTimeout> | undefined;
  const write = () => {
    clearTimeout(pending);
    pending = undefined;
    const hash = formatLink(store.getState().view);
    if (hash !== win.location.hash) win.history.replaceState(null, '', hash);
  };
  const unsubscribe = store.subscribe((s, prev) => {
    const moving = s.playing || s.following;
    if (s.view === prev.view && !(pending && !moving)) return;
    // While a run plays, the frame changes several times a second: writing the address each time was most of the page's
    // work per frame on a phone-class CPU. The address follows it at a slower pace, and at once when it stops.
    if (moving && onlyFrameChanged(s.view, prev.view)) pending ??= setTimeout(write, PLAYING_LINK_MS);
    else write();
  });
  return () => {
    clearTimeout(pending);
    win.removeEventListener('hashchange', onHashChange);
    unsubscribe();
  };
}
