import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { useAppStore } from './state/store';
import { syncWithUrl } from './state/urlSync';
import { App } from './ui/App';
import './ui/app.css';
import { connectEngine } from './worker/client';

syncWithUrl(useAppStore);
const engine = connectEngine(useAppStore);
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App engine={engine} />
  </StrictMode>,
);
