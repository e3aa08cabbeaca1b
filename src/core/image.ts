import * as tf from '@tensorflow/tfjs-core';

/** Working resolution: the model runs on 128×128 (fully convolutional, trained for it). */
export const WORKING_SIZE = 128;

/** RGBA bytes (canvas ImageData layout) -> [1, h, w, 3] in [-1, 1]. */
export function rgbaToTensor(rgba: Uint8ClampedArray | Uint8Array, width: number, height: number): tf.Tensor4D {
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  const out = new Float32Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    out[j] = rgba[i]! / 127.5 - 1;
    out[j + 1] = rgba[i + 1]! / 127.5 - 1;
    out[j + 2] = rgba[i + 2]! / 127.5 - 1;
  }
  return tf.tensor4d(out, [1, height, width, 3]);
}

export { floatToRgba } from './rgba';

/** The centred square of a width×height image: where to crop before resizing. */
export function centreSquare(width: number, height: number): { x: number; y: number; size: number } {
  const size = Math.min(width, height);
  return { x: Math.floor((width - size) / 2), y: Math.floor((height - size) / 2), size };
}

/**
 * Area-average resampling (each output pixel is the mean of the input area it covers,
 * with fractional edge weights): the right filter for large downscales, no aliasing.
 * RGBA in, RGBA out; crop = the source square to take.
 */
export function resizeArea(
  rgba: Uint8Array | Uint8ClampedArray,
  width: number,
  crop: { x: number; y: number; size: number },
  out: number,
): Uint8ClampedArray {
  const result = new Uint8ClampedArray(out * out * 4);
  const scale = crop.size / out;
  const acc = new Float64Array(4);
  for (let oy = 0; oy < out; oy++) {
    const y0 = crop.y + oy * scale;
    const y1 = y0 + scale;
    for (let ox = 0; ox < out; ox++) {
      const x0 = crop.x + ox * scale;
      const x1 = x0 + scale;
      acc.fill(0);
      let total = 0;
      for (let y = Math.floor(y0); y < Math.ceil(y1); y++) {
        const wy = Math.min(y + 1, y1) - Math.max(y, y0);
        for (let x = Math.floor(x0); x < Math.ceil(x1); x++) {
          const w = wy * (Math.min(x + 1, x1) - Math.max(x, x0));
          const i = (y * width + x) * 4;
          for (let c = 0; c < 4; c++) acc[c]! += w * rgba[i + c]!;
          total += w;
        }
      }
      for (let c = 0; c < 4; c++) result[(oy * out + ox) * 4 + c] = Math.round(acc[c]! / total);
    }
  }
  return result;
}
