/// <reference lib="webworker" />
// Encodes exports off the page's thread: an animated GIF of the run (gifenc), a PNG contact sheet
// of every frame and a PNG of one frame (OffscreenCanvas). Input: the plain data of
// src/core/export/layout.ts and a whole scale factor; output: a Blob.
//
// Scale: the 128 × 128 tiles are enlarged here by nearest neighbour (upscaleNearest), each network
// pixel becoming a k × k block of the very same colour: the network's pixels exactly, bigger, with
// no detail invented (no smoothing filter runs). Names, caption and gaps grow with k, so the text
// stays legible beside the larger tiles.
import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import { exportGeometry, sheetScale, upscaleNearest, type ExportGeometry, type ExportStrip } from '../core/export/layout';
import type { Pixels } from '../core/engine/types';

export type ExportRequest =
  | { id: number; kind: 'gif'; strip: ExportStrip; scale: number; fps: number }
  | { id: number; kind: 'sheet'; strip: ExportStrip; scale: number }
  | { id: number; kind: 'frame'; strip: ExportStrip; scale: number; frame: number };
export type ExportReply = { id: number; blob: Blob } | { id: number; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

/**
 * The tiles of a row as ImageData at the export's scale. The original, the degraded start and
 * direct's result are the same object in every row (structured cloning keeps shared references):
 * those are enlarged once per export; the samplers' tiles, new in each row, are not kept.
 */
function tileImages(strip: ExportStrip, scale: number): (row: number) => ImageData[] {
  const seen = new Set<Pixels>();
  const shared = new Set<Pixels>();
  for (const row of strip.rows) for (const p of row) (seen.has(p) ? shared : seen).add(p);
  const kept = new Map<Pixels, ImageData>();
  const image = (p: Pixels) => {
    const done = kept.get(p);
    if (done) return done;
    const big = upscaleNearest(p, scale);
    const d = new ImageData(big.rgba, big.width, big.height);
    if (shared.has(p)) kept.set(p, d);
    return d;
  };
  return (row) => strip.rows[row]!.map(image);
}

/** Draws frame `row` of the strip at vertical offset `top`, with names above and the caption below. */
function drawRow(ctx: OffscreenCanvasRenderingContext2D, strip: ExportStrip, g: ExportGeometry, tiles: ImageData[], top: number, caption: string): void {
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, top, g.width, g.height);
  ctx.fillStyle = '#111111';
  ctx.font = g.labelFont;
  ctx.textBaseline = 'middle';
  tiles.forEach((tile, i) => {
    const x = g.tileLeft[i]!;
    ctx.fillText(strip.labels[i]!, x, top + g.labelHeight / 2 + 2 * g.scale, tile.width);
    ctx.putImageData(tile, x, top + g.tileTop);
  });
  ctx.fillStyle = '#444444';
  ctx.font = g.captionFont;
  ctx.fillText(caption, g.gap, top + g.height - g.captionHeight / 2, g.width - 2 * g.gap);
}

const frameCaption = (strip: ExportStrip, row: number) => `${strip.caption} · frame ${row} of ${strip.rows.length - 1}`;

/**
 * The GIF: frame 0 whole; after it only what changed (the samplers' tiles and the caption's frame
 * number), the rest transparent over the frame before (disposal 1, "leave in place"). The original,
 * the degraded start and direct's result are then stored once, which halves the file and the time
 * (src/core/export/layout.ts, EXPORT_SCALES, has the measurements).
 */
function encodeGif(strip: ExportStrip, scale: number, fps: number): Blob {
  const g = exportGeometry(strip, scale);
  const { width, height } = g;
  const tiles = tileImages(strip, scale);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const gif = GIFEncoder();
  const last = strip.rows.length - 1;
  let before: Uint32Array | null = null;
  for (let row = 0; row <= last; row++) {
    drawRow(ctx, strip, g, tiles(row), 0, frameCaption(strip, row));
    const rgba = ctx.getImageData(0, 0, width, height).data;
    // The end holds a little longer, so a looping GIF shows the result.
    const timing = { delay: row === last ? 1500 : Math.round(1000 / fps), repeat: 0, dispose: 1 };
    const now = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height);
    if (!before) {
      const palette = quantize(rgba, 256);
      gif.writeFrame(applyPalette(rgba, palette), width, height, { palette, ...timing });
    } else {
      let changed = 0;
      for (let i = 0; i < now.length; i++) if (now[i] !== before[i]) changed++;
      const fresh = new Uint32Array(Math.max(1, changed));
      for (let i = 0, j = 0; i < now.length; i++) if (now[i] !== before[i]) fresh[j++] = now[i]!;
      const freshRgba = new Uint8ClampedArray(fresh.buffer);
      // 255 colours for what changed; index 255 (or the next free one) is "as before".
      const palette = quantize(freshRgba, 255);
      const keep = palette.length;
      palette.push([0, 0, 0]);
      const freshIndex = applyPalette(freshRgba, palette.slice(0, keep));
      const index = new Uint8Array(now.length).fill(keep);
      for (let i = 0, j = 0; i < now.length; i++) if (now[i] !== before[i]) index[i] = freshIndex[j++]!;
      gif.writeFrame(index, width, height, { palette, transparent: true, transparentIndex: keep, ...timing });
    }
    before = now;
  }
  gif.finish();
  return new Blob([gif.bytes()], { type: 'image/gif' });
}

async function encodePng(strip: ExportStrip, scale: number, rows: number[]): Promise<Blob> {
  const g = exportGeometry(strip, scale);
  const tiles = tileImages(strip, scale);
  const canvas = new OffscreenCanvas(g.width, g.height * rows.length);
  const ctx = canvas.getContext('2d')!;
  rows.forEach((row, i) => drawRow(ctx, strip, g, tiles(row), i * g.height, frameCaption(strip, row)));
  return canvas.convertToBlob({ type: 'image/png' });
}

scope.onmessage = async (event: MessageEvent<ExportRequest>) => {
  const req = event.data;
  try {
    const blob =
      req.kind === 'gif'
        ? encodeGif(req.strip, req.scale, req.fps)
        : req.kind === 'sheet'
          ? await encodePng(req.strip, sheetScale(req.strip, req.scale), req.strip.rows.map((_, i) => i))
          : await encodePng(req.strip, req.scale, [req.frame]);
    scope.postMessage({ id: req.id, blob } satisfies ExportReply);
  } catch (e) {
    scope.postMessage({ id: req.id, error: (e as Error).message || String(e) } satisfies ExportReply);
  }
};
