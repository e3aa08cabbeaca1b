import { degradationInfo } from '../degradations/catalog';
import type { FramePixels, Pixels, RunSettings } from '../engine/types';

/**
 * What an export shows: per frame, the panels side by side (original, degraded, direct, naive,
 * improved; generating: start, naive, improved) under their names, with a caption naming the
 * settings. Plain data: the export worker draws it (src/worker/export.worker.ts).
 */
export interface ExportSettings extends RunSettings {
  /** The backend that computed the frames, e.g. "WASM". */
  backend: string;
  fps: number;
}

export interface ExportStrip {
  labels: string[];
  /** One row of tiles per frame 0..t. */
  rows: Pixels[][];
  caption: string;
}

export const TILE_GAP = 6;
export const LABEL_HEIGHT = 18;
export const CAPTION_HEIGHT = 20;

/** The tiles of every frame, or null while some frame is missing (exports need the whole run). */
export function exportStrip(settings: ExportSettings, original: Pixels | null, frames: readonly (FramePixels | undefined)[]): ExportStrip | null {
  const all = frames.slice(0, settings.t + 1);
  if (all.length < settings.t + 1 || all.some((f) => !f)) return null;
  const full = all as FramePixels[];
  const start = full[0]!.naive.xt;
  if (settings.mode === 'generate') {
    return { labels: ['start x_T', 'naive', 'improved'], rows: full.map((f) => [start, f.naive.xt, f.improved.xt]), caption: caption(settings) };
  }
  const direct = full[1]?.direct?.x0 ?? start;
  if (!original) return null;
  return {
    labels: ['original', `degraded t=${settings.t}`, 'direct', 'naive', 'improved'],
    rows: full.map((f) => [original, start, direct, f.naive.xt, f.improved.xt]),
    caption: caption(settings),
  };
}

export function caption(s: ExportSettings): string {
  const what = s.mode === 'generate' ? 'generating' : `${degradationInfo(s.degradation).label}, t = ${s.t}`;
  return `Cold diffusion · ${what} · seed ${s.seed} · restorer ${s.restorer} · ${s.backend}`;
}

/** Size of one frame's picture: tiles side by side, names above, caption below. */
export function stripSize(strip: ExportStrip): { width: number; height: number } {
  const tiles = strip.rows[0]!;
  const width = tiles.reduce((w, p) => w + p.width, 0) + TILE_GAP * (tiles.length + 1);
  const height = Math.max(...tiles.map((p) => p.height)) + LABEL_HEIGHT + CAPTION_HEIGHT + TILE_GAP;
  return { width, height };
}

/** Names say the settings: cold-diffusion_blur_t20_seed1_trained_wasm[_frame7].gif */
export function exportFileName(s: ExportSettings, kind: 'gif' | 'sheet' | 'frame', frame?: number): string {
  const what = s.mode === 'generate' ? 'generate' : `${s.degradation}_t${s.t}`;
  const base = `cold-diffusion_${what}_seed${s.seed}_${s.restorer}_${s.backend.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  if (kind === 'gif') return `${base}.gif`;
  if (kind === 'sheet') return `${base}_all-frames.png`;
  return `${base}_frame${frame ?? 0}.png`;
}
