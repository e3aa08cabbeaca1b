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

/** Sizes at 1× (one network pixel per export pixel); every one of them grows with the export's scale. */
export const TILE_GAP = 6;
export const LABEL_HEIGHT = 18;
export const CAPTION_HEIGHT = 20;
export const LABEL_FONT_PX = 12;
export const CAPTION_FONT_PX = 11;

/**
 * How many export pixels each network pixel becomes (nearest neighbour: the network's pixels,
 * exactly, each drawn as a k × k block; nothing is interpolated or invented). 2×: 256 px per panel.
 * Measured (blur from t = 40 on the kite, 41 frames, Chromium, 2 shared cores), 1× / 2× / 3× / 4×:
 * GIF 0.39 / 0.91 / 1.53 / 2.23 MB made in 1.1 / 1.2 / 2.3 / 4.9 s; contact sheet 4.5 / 7.4 / 9.3 /
 * 10.9 MB in 0.6 / 1.0 / 2.5 / 4.1 s. From t = 50 (inpaint) the 4× GIF is 2.6 MB in 7.3 s: 4× stays
 * on offer (its contact sheet is made at 3×, see sheetScale).
 */
export const EXPORT_SCALES = [1, 2, 3, 4] as const;
export type ExportScale = (typeof EXPORT_SCALES)[number];
export const DEFAULT_EXPORT_SCALE: ExportScale = 2;

/** The largest side a browser's canvas takes (Chromium and Firefox: 32 767 px; Safari's area limit is smaller still). */
export const MAX_CANVAS_SIDE = 32_767;

/** Where things go in one frame's picture at a scale: gaps, label and caption rows, and the fonts, all × scale. */
export interface ExportGeometry {
  scale: number;
  gap: number;
  labelHeight: number;
  captionHeight: number;
  labelFont: string;
  captionFont: string;
  /** Left edge of each tile, in export pixels. */
  tileLeft: number[];
  /** Top of the tiles, below their names. */
  tileTop: number;
  width: number;
  height: number;
}

export function exportGeometry(strip: ExportStrip, scale = 1): ExportGeometry {
  const tiles = strip.rows[0]!;
  const gap = TILE_GAP * scale;
  const tileLeft: number[] = [];
  let x = gap;
  for (const p of tiles) {
    tileLeft.push(x);
    x += p.width * scale + gap;
  }
  const labelHeight = LABEL_HEIGHT * scale;
  const captionHeight = CAPTION_HEIGHT * scale;
  return {
    scale,
    gap,
    labelHeight,
    captionHeight,
    labelFont: `${LABEL_FONT_PX * scale}px sans-serif`,
    captionFont: `${CAPTION_FONT_PX * scale}px sans-serif`,
    tileLeft,
    tileTop: labelHeight,
    width: x,
    height: Math.max(...tiles.map((p) => p.height)) * scale + labelHeight + captionHeight + gap,
  };
}

/**
 * The scale a contact sheet (every frame, one row each) can take: the one asked for, or the largest
 * smaller one whose height fits a canvas (at 4× a run from t = 50 would be 35 088 px tall).
 */
export function sheetScale(strip: ExportStrip, scale: number): number {
  let s = scale;
  while (s > 1 && stripSize(strip, s).height * strip.rows.length > MAX_CANVAS_SIDE) s--;
  return s;
}

/**
 * Nearest-neighbour upscaling by a whole factor: each pixel becomes a k × k block of the very same
 * value, so the export shows the network's pixels exactly, larger, with no detail invented.
 */
export function upscaleNearest(p: Pixels, k: number): Pixels & { rgba: Uint8ClampedArray<ArrayBuffer> } {
  if (k === 1) return { width: p.width, height: p.height, rgba: new Uint8ClampedArray(p.rgba) };
  const width = p.width * k;
  const height = p.height * k;
  // One RGBA pixel as one 32-bit word (a copy first where the bytes do not start on a word).
  const bytes = p.rgba.byteOffset % 4 === 0 ? p.rgba : p.rgba.slice();
  const src = new Uint32Array(bytes.buffer, bytes.byteOffset, p.width * p.height);
  const out = new Uint32Array(width * height);
  for (let y = 0; y < p.height; y++) {
    const row = out.subarray(y * k * width, (y * k + 1) * width);
    for (let x = 0; x < p.width; x++) row.fill(src[y * p.width + x]!, x * k, x * k + k);
    for (let r = 1; r < k; r++) out.copyWithin((y * k + r) * width, y * k * width, (y * k + 1) * width);
  }
  return { width, height, rgba: new Uint8ClampedArray(out.buffer) };
}

/** The tiles of every frame, or null while some frame is missing (exports need the whole run). */
export function exportStrip(settings: ExportSettings, original: Pixels | null, frames: readonly (FramePixels | undefined)[]): ExportStrip | null {
  const all = frames.slice(0, settings.steps + 1);
  if (all.length < settings.steps + 1 || all.some((f) => !f)) return null;
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
  const what = s.mode === 'generate' ? 'generating' : s.mode === 'own' ? `your transform ${s.own}, t = ${s.t}` : `${degradationInfo(s.degradation).label}, t = ${s.t}`;
  // Every level is the paper's sampler and goes unsaid; fewer steps change the result, so they are named.
  const steps = s.steps < s.t ? ` in ${s.steps} steps` : '';
  return `Cold diffusion · ${what}${steps} · seed ${s.seed} · restorer ${s.restorer} · ${s.backend}`;
}

/** Size of one frame's picture at a scale: tiles side by side, names above, caption below. */
export function stripSize(strip: ExportStrip, scale = 1): { width: number; height: number } {
  const { width, height } = exportGeometry(strip, scale);
  return { width, height };
}

/** Names say the settings: cold-diffusion_blur_t20[_steps4]_seed1_trained_wasm[_frame7].gif */
export function exportFileName(s: ExportSettings, kind: 'gif' | 'sheet' | 'frame', frame?: number): string {
  const what = (s.mode === 'generate' ? 'generate' : `${s.mode === 'own' ? 'own' : s.degradation}_t${s.t}`) + (s.steps < s.t ? `_steps${s.steps}` : '');
  const base = `cold-diffusion_${what}_seed${s.seed}_${s.restorer}_${s.backend.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '')}`;
  if (kind === 'gif') return `${base}.gif`;
  if (kind === 'sheet') return `${base}_all-frames.png`;
  return `${base}_frame${frame ?? 0}.png`;
}
