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

/** The centred square of a width×height image: where to crop before resizing. */
export function centreSquare(width: number, height: number): { x: number; y: number; size: number } {
  const size = Math.min(width, height);
  return { x: Math.floor((width - size) / 2), y: Math.floor((height - size) / 2), size };
}
