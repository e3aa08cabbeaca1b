import { useState } from 'react';
import { BACKEND_LABELS } from '../core/backend';
import { exportFileName, exportStrip, type ExportSettings } from '../core/export/layout';
import { useAppStore } from '../state/store';
import { runSettings } from '../state/viewState';
import { download, encodeExport } from '../worker/exportClient';

/** Export the run: an animated GIF, a contact sheet of every frame, or the frame shown. */
export function ExportMenu() {
  const view = useAppStore((s) => s.view);
  const frames = useAppStore((s) => s.frames);
  const original = useAppStore((s) => s.original);
  const backend = useAppStore((s) => s.backend);
  const runDone = useAppStore((s) => s.runDone);
  const notify = useAppStore((s) => s.notify);
  const [busy, setBusy] = useState<string | null>(null);
  const settings: ExportSettings = { ...runSettings(view), backend: backend ? BACKEND_LABELS[backend.name] : 'unknown backend', fps: view.fps };
  const strip = runDone ? exportStrip(settings, original, frames) : null;
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
  return (
    <div className="control export" role="group" aria-label="Export">
      <span>Export{busy ? `: making the ${busy}…` : ''}</span>
      <div className="export-buttons">
        <button type="button" disabled={!strip || busy !== null} title={why ?? 'Every frame, the panels side by side'} onClick={() => run('GIF', { kind: 'gif', fps: view.fps }, exportFileName(settings, 'gif'))} data-testid="export-gif">
          GIF
        </button>
        <button type="button" disabled={!strip || busy !== null} title={why ?? 'Every frame in one PNG, one row each'} onClick={() => run('contact sheet', { kind: 'sheet' }, exportFileName(settings, 'sheet'))} data-testid="export-sheet">
          All frames (PNG)
        </button>
        <button type="button" disabled={!strip || busy !== null} title={why ?? 'The frame shown, as a PNG'} onClick={() => run('frame', { kind: 'frame', frame: view.frame }, exportFileName(settings, 'frame', view.frame))} data-testid="export-frame">
          This frame (PNG)
        </button>
      </div>
    </div>
  );
}
