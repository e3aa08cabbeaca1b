// Apart from image.ts, which needs tfjs: the pictures' worker (src/worker/stepPainter.worker.ts) loads only this.
/** [-1, 1] float RGB (HWC) -> opaque RGBA bytes; values outside [-1, 1] are clipped. */
export function floatToRgba(values: Float32Array | ArrayLike<number>, pixels: number): Uint8ClampedArray {
  const out = new Uint8ClampedArray(pixels * 4);
  for (let p = 0; p < pixels; p++) {
    out[p * 4] = Math.round((values[p * 3]! + 1) * 127.5);
    out[p * 4 + 1] = Math.round((values[p * 3 + 1]! + 1) * 127.5);
    out[p * 4 + 2] = Math.round((values[p * 3 + 2]! + 1) * 127.5);
    out[p * 4 + 3] = 255;
  }
  return out;
}
