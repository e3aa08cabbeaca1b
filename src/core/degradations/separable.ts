import * as tf from '@tensorflow/tfjs-core';

/**
 * A linear operator that acts on rows and columns separately, as two matrix products:
 * y = A_h · x · A_wᵀ per channel. tfjs's matMul is among its fastest kernels on every backend,
 * so blur and pixelate are each two products instead of padded convolutions or gathers
 * (docs/design.md, "The operators as matrix products").
 * rows: [h, h] (or [h', h]), cols: [w, w]; x: [batch, h, w, channels].
 */
export function applySeparable(x: tf.Tensor4D, rows: tf.Tensor2D, cols: tf.Tensor2D): tf.Tensor4D {
  return tf.tidy(() => {
    const [batch, height, width, channels] = x.shape;
    const outHeight = rows.shape[0];
    const outWidth = cols.shape[0];
    // Rows first: [h, b·w·c] → A_h · that; then columns the same way; then back to NHWC.
    const byRow = tf.reshape(tf.transpose(x, [1, 0, 2, 3]), [height, batch * width * channels]);
    const vertical = tf.reshape(tf.matMul(rows, byRow), [outHeight, batch, width, channels]);
    const byCol = tf.reshape(tf.transpose(vertical, [2, 1, 0, 3]), [width, batch * outHeight * channels]);
    const both = tf.reshape(tf.matMul(cols, byCol), [outWidth, batch, outHeight, channels]);
    return tf.transpose(both, [1, 2, 0, 3]) as tf.Tensor4D;
  });
}

/** Keeps one matrix per key as a plain array (no tensor outlives a call), built on first use. */
export class MatrixCache {
  private readonly cache = new Map<string, { data: Float32Array; shape: [number, number] }>();

  get(key: string, build: () => { data: Float32Array; shape: [number, number] }): tf.Tensor2D {
    let m = this.cache.get(key);
    if (!m) {
      m = build();
      this.cache.set(key, m);
    }
    return tf.tensor2d(m.data, m.shape);
  }
}
