import { useEffect, useRef, useState } from 'react';
import { useAppStore } from '../state/store';
import { useShownFrame } from './Panels';

/** A screen reader hears the step and the errors at most this often while frames change. */
export const ANNOUNCE_EVERY_MS = 2500;

/** What a screen reader is told about the frame shown ("step 12 of 20: naive 24.1 dB, improved 27.5 dB"). */
export function announcement(frame: number, steps: number, naive: number | null | undefined, improved: number | null | undefined): string {
  const dB = (v: number | null | undefined) => (v === null || v === undefined ? null : Number.isFinite(v) ? `${v.toFixed(1)} dB` : 'exact');
  const errors = dB(naive) && dB(improved) ? `: naive ${dB(naive)}, improved ${dB(improved)}` : '';
  return `step ${frame} of ${steps}${errors}`;
}

/** A polite live region, updated at a calm rate (and at once when playback stops). */
export function LiveStatus() {
  const { frame } = useShownFrame();
  const index = useAppStore((s) => s.view.frame);
  const steps = useAppStore((s) => s.view.steps);
  const playing = useAppStore((s) => s.playing || s.following);
  const text = announcement(index, steps, frame?.naive.psnr, frame?.improved.psnr);
  const [spoken, setSpoken] = useState(text);
  const last = useRef(0);
  useEffect(() => {
    const due = last.current + ANNOUNCE_EVERY_MS - Date.now();
    if (!playing || due <= 0) {
      last.current = Date.now();
      setSpoken(text);
      return;
    }
    const timer = setTimeout(() => {
      last.current = Date.now();
      setSpoken(text);
    }, due);
    return () => clearTimeout(timer);
  }, [text, playing]);
  return (
    <p className="sr-only" aria-live="polite" aria-atomic="true" data-testid="live-status">
      {spoken}
    </p>
  );
}
