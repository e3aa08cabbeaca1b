import { useAppStore } from './state/store';
import { syncWithUrl } from './state/urlSync';
import './ui/app.css';
import { connectEngine } from './worker/client';
import { registerServiceWorkerAfterFirstRun } from './ui/serviceWorker';

syncWithUrl(useAppStore);
// The first ten seconds: the run plays as it is computed, without a click, unless the visitor
// prefers reduced motion (then Play is the next step) or the link shows a later frame.
const autoFollow = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
useAppStore.setState((s) => ({ autoFollow, following: autoFollow && s.view.frame === 0 }));
// index.html's title is the standard page's: presentation mode has none, so it goes before React's first render.
if (useAppStore.getState().view.present) document.querySelector('[data-shell]')?.remove();
// The worker (its code, the backend's start, the model's download) starts before the page's own
// code has loaded: React and the components arrive meanwhile (docs/design.md, "The start").
const engine = connectEngine(useAppStore);
void import('./ui/mountApp').then(({ mountApp }) => mountApp(engine));
registerServiceWorkerAfterFirstRun(useAppStore);
