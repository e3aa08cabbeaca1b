import { lazy, Suspense, useCallback, useEffect } from 'react';
import { useAppStore } from '../state/store';
import type { Engine } from '../worker/client';
import { StandardLayout } from './StandardLayout';

// Only for a class: its code (and the QR codes') loads when presentation mode opens.
const PresentationLayout = lazy(() => import('./Presentation').then((m) => ({ default: m.PresentationLayout })));

export function App({ engine }: { engine: Engine }) {
  const onFile = useCallback((file: Blob, name: string) => engine.loadFile(file, name), [engine]);
  const present = useAppStore((s) => s.view.present);
  useKeyboardShortcuts();
  useEffect(() => {
    // After the first view and the parts it loads: the main thread's first idle moment (Safari has no idle callback).
    const settled = () => engine.pageSettled();
    if (typeof requestIdleCallback === 'function') requestIdleCallback(settled, { timeout: 2000 });
    else setTimeout(settled, 300);
  }, [engine]);
  return present ? (
    <Suspense fallback={null}>
      <PresentationLayout />
    </Suspense>
  ) : (
    <StandardLayout onFile={onFile} />
  );
}

/** Space: play/pause, ← →: one frame, Home / R: the start, End: the last frame, Esc: leave presentation (not while typing). */
function useKeyboardShortcuts() {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (e.ctrlKey || e.metaKey || e.altKey || target?.closest('input, select, textarea, button')) return;
      const s = useAppStore.getState();
      if (e.key === ' ') s.playing ? s.pause() : s.play();
      else if (e.key === 'ArrowRight') s.stepForward();
      else if (e.key === 'ArrowLeft') s.stepBack();
      else if (e.key === 'r' || e.key === 'Home') s.reset();
      else if (e.key === 'End') s.seek(s.view.steps);
      else if (e.key === 'Escape' && s.view.present && !document.fullscreenElement) s.setView({ present: false });
      else return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
}
