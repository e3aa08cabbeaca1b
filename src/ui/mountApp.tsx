import { StrictMode, startTransition } from 'react';
import { createRoot } from 'react-dom/client';
import type { Engine } from '../worker/client';
import { App } from './App';

export function mountApp(engine: Engine): void {
  const root = createRoot(document.getElementById('root')!);
  // A transition lets React build the first view in slices of a few ms, yielding to the browser
  // between them, instead of one task of a few hundred ms on a phone's CPU (issue 28).
  startTransition(() => {
    root.render(
      <StrictMode>
        <App engine={engine} />
      </StrictMode>,
    );
  });
}
