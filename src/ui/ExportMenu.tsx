import { useMemo, useState } from 'react';
import { BACKEND_LABELS } from '../core/backend';
import { DEFAULT_EXPORT_SCALE, EXPORT_SCALES, exportFileName, exportStrip, sheetScale, type ExportScale, type ExportSettings } from '../core/export/layout';
import { useAppStore, useViewSettings } from '../state/store';
import { runSettings } from '../state/viewState';
import { download, encodeExport } from '../worker/exportClient';

/**
 * Export the run: an animated GIF, a contact sheet of every frame, or the frame shown, at a whole
 * scale (2× by default: 256 px per panel; the network's pixels enlarged, nothing invented). The
 * scale is a choice of this menu, not of the link: it changes the file, not the view.
 */
export function ExportMenu() {
  const view = useViewSettings();
  const frames = useAppStore((s) => s.frames);
  const original = useAppStore((s) => s.original);
  const backend = useAppStore((s) => s.backend);
  const runDone = useAppStore((s) => s.runDone);
  const notify = useAppStore((s) => s.notify);
  const [busy, setBusy] = useState<string | null>(null);
  const [scale, setScale] = useState<ExportScale>(DEFAULT_EXPORT_SCALE);
  const settings: ExportSettings = useMemo(() => ({ ...runSettings(view), backend: backend ? BACKEND_LABELS[backend.name] : 'unknown backend', fps: view.fps }), [view, backend]);
  const strip = useMemo(() => (runDone ? exportStrip(settings, original, frames) : null), [runDone, settings, original, frames]);
  // Read when asked for, not followed: the frame changes several times a second while the run plays.
  const shownFrame = () => useAppStore.getState().view.frame;
  const run = async (what: string, job: Parameters<typeof encodeExport>[1], name: string) => {
    if (!strip) return;
    setBusy(what);
    try {
      download(await encodeExport(strip, job), name);
    } catch (e) {
      notify('error', `The ${what} could not be made: ${(e as Error).message}`);
    } finally {
      setBusy(null);
    }
  };
  const why = strip ? undefined : 'available once every step is computed';
  const tile = strip?.rows[0]?.[0]?.width ?? 128;
  // A contact sheet too tall for a canvas at this scale is made at the largest scale that fits.
  const sheetAt = strip ? sheetScale(strip, scale) : scale;
  const sheetNote = sheetAt < scale ? ` (at ${sheetAt}×: ${scale}× would be taller than a browser canvas can be)` : '';
  return (
    <div className="control export" role="group" aria-label="Export">
      <span>Export{busy ? `: making the ${busy}…` : ''}</span>
      <div className="export-buttons">
        <label className="export-scale" title="Each of the network's pixels becomes a square block this many pixels wide: exactly its pixels, larger, no detail invented">
          <span className="sr-only">Size of each panel</span>
          <select value={scale} onChange={(e) => setScale(Number(e.target.value) as ExportScale)} disabled={busy !== null} data-testid="export-scale">
            {EXPORT_SCALES.map((k) => (
              <option key={k} value={k}>
                {k}× · {k * tile} px
              </option>
            ))}
          </select>
        </label>
        <button type="button" disabled={!strip || busy !== null} title={why ?? 'Every frame, the panels side by side'} onClick={() => run('GIF', { kind: 'gif', fps: view.fps, scale }, exportFileName(settings, 'gif'))} data-testid="export-gif">
          GIF
        </button>
        <button type="button" disabled={!strip || busy !== null} title={why ?? `Every frame in one PNG, one row each${sheetNote}`} onClick={() => run('contact sheet', { kind: 'sheet', scale }, exportFileName(settings, 'sheet'))} data-testid="export-sheet">
          All frames (PNG)
        </button>
        <button type="button" disabled={!strip || busy !== null} title={why ?? 'The frame shown, as a PNG'} onClick={() => run('frame', { kind: 'frame', frame: shownFrame(), scale }, exportFileName(settings, 'frame', shownFrame()))} data-testid="export-frame">
          This frame (PNG)
        </button>
      </div>
    </div>
  );
}
