import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useAppStore } from './state/store';
import { syncWithUrl } from './state/urlSync';
import { App } from './ui/App';
import './ui/app.css';
import { connectEngine } from './worker/client';

syncWithUrl(useAppStore);
// The first ten seconds: the run plays as it is computed, without a click, unless the visitor
// prefers reduced motion (then Play is the next step) or the link shows a later frame.
const autoFollow = !window.matchMedia?.('(prefers-reduced-motion: reduce)').matches;
useAppStore.setState((s) => ({ autoFollow, following: autoFollow && s.view.frame === 0 }));
const engine = connectEngine(useAppStore);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App engine={engine} />
  </StrictMode>,
);
