/// <reference lib="webworker" />
// Encodes exports off the page's thread: an animated GIF of the run (gifenc), a PNG contact sheet
// of every frame and a PNG of one frame (OffscreenCanvas). Input: the plain data of
// src/core/export/layout.ts; output: a Blob.
import { applyPalette, GIFEncoder, quantize } from 'gifenc';
import { CAPTION_HEIGHT, LABEL_HEIGHT, stripSize, TILE_GAP, type ExportStrip } from '../core/export/layout';

export type ExportRequest = { id: number; kind: 'gif'; strip: ExportStrip; fps: number } | { id: number; kind: 'sheet'; strip: ExportStrip } | { id: number; kind: 'frame'; strip: ExportStrip; frame: number };
export type ExportReply = { id: number; blob: Blob } | { id: number; error: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;

/** Draws frame `row` of the strip at vertical offset `top`, with names above and the caption below. */
function drawRow(ctx: OffscreenCanvasRenderingContext2D, strip: ExportStrip, row: number, top: number, caption: string): void {
  const { width, height } = stripSize(strip);
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, top, width, height);
  ctx.fillStyle = '#111111';
  ctx.font = '12px sans-serif';
  ctx.textBaseline = 'middle';
  let x = TILE_GAP;
  strip.rows[row]!.forEach((tile, i) => {
    ctx.fillText(strip.labels[i]!, x, top + LABEL_HEIGHT / 2 + 2, tile.width);
    ctx.putImageData(new ImageData(new Uint8ClampedArray(tile.rgba), tile.width, tile.height), x, top + LABEL_HEIGHT);
    x += tile.width + TILE_GAP;
  });
  ctx.fillStyle = '#444444';
  ctx.font = '11px sans-serif';
  ctx.fillText(caption, TILE_GAP, top + height - CAPTION_HEIGHT / 2, width - 2 * TILE_GAP);
}

const frameCaption = (strip: ExportStrip, row: number) => `${strip.caption} · frame ${row} of ${strip.rows.length - 1}`;

function encodeGif(strip: ExportStrip, fps: number): Blob {
  const { width, height } = stripSize(strip);
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d', { willReadFrequently: true })!;
  const gif = GIFEncoder();
  const last = strip.rows.length - 1;
  for (let row = 0; row <= last; row++) {
    drawRow(ctx, strip, row, 0, frameCaption(strip, row));
    const rgba = ctx.getImageData(0, 0, width, height).data;
    const palette = quantize(rgba, 256);
    // The end holds a little longer, so a looping GIF shows the result.
    gif.writeFrame(applyPalette(rgba, palette), width, height, { palette, delay: row === last ? 1500 : Math.round(1000 / fps), repeat: 0 });
  }
  gif.finish();
  return new Blob([gif.bytes()], { type: 'image/gif' });
}

async function encodePng(strip: ExportStrip, rows: number[]): Promise<Blob> {
  const { width, height } = stripSize(strip);
  const canvas = new OffscreenCanvas(width, height * rows.length);
  const ctx = canvas.getContext('2d')!;
  rows.forEach((row, i) => drawRow(ctx, strip, row, i * height, frameCaption(strip, row)));
  return canvas.convertToBlob({ type: 'image/png' });
}

scope.onmessage = async (event: MessageEvent<ExportRequest>) => {
  const req = event.data;
  try {
    const blob =
      req.kind === 'gif' ? encodeGif(req.strip, req.fps) : req.kind === 'sheet' ? await encodePng(req.strip, req.strip.rows.map((_, i) => i)) : await encodePng(req.strip, [req.frame]);
    scope.postMessage({ id: req.id, blob } satisfies ExportReply);
  } catch (e) {
    scope.postMessage({ id: req.id, error: (e as Error).message || String(e) } satisfies ExportReply);
  }
};
