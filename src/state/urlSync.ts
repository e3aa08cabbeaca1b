import type { AppStore } from './store';
import { openLink } from './lesson';
import { formatLink } from './viewState';

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
  const unsubscribe = store.subscribe((s, prev) => {
    if (s.view === prev.view) return;
    const hash = formatLink(s.view);
    if (hash !== win.location.hash) win.history.replaceState(null, '', hash);
  });
  return () => {
    win.removeEventListener('hashchange', onHashChange);
    unsubscribe();
  };
}
