import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { Engine } from '../worker/client';
import { App } from './App';

export function mountApp(engine: Engine): void {
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <App engine={engine} />
    </StrictMode>,
  );
}
