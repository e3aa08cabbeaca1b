import * as tf from '@tensorflow/tfjs-core';

/**
 * A 3×3 (any odd size) 'same' convolution + bias (+ ReLU) whose gradients are forward convolutions only.
 * tfjs-backend-wasm 4.22 registers no Conv2DBackpropFilter (tensorflow/tfjs#8474), so tf.conv2d's own
 * gradient fails there; these run on every backend and equal it (trainableConv.test.ts, against CPU):
 *   dx = conv(dy, W flipped in space, in/out channels swapped), 'same';
 *   dW = the correlation of the zero-padded input with dy, as one 'valid' convolution with the batch as
 *        its channels: input [cin, H+2p, W+2p, B], filter dy as [H, W, B, cout] → [cin, k, k, cout].
 */
export function trainableConv(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, relu: boolean): tf.Tensor4D {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [input, w, bIn, save] = args as [tf.Tensor4D, tf.Tensor4D, tf.Tensor1D, tf.GradSaveFunc];
    const value = tf.fused.conv2d({ x: input, filter: w, strides: 1, pad: 'same', bias: bIn, activation: relu ? 'relu' : 'linear' });
    save([input, w, value]);
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws, ys] = saved as [tf.Tensor4D, tf.Tensor4D, tf.Tensor4D];
        const g = (relu ? tf.mul(dy, tf.step(ys)) : dy) as tf.Tensor4D;
        const [kh, kw] = ws.shape;
        const [ph, pw] = [(kh - 1) / 2, (kw - 1) / 2];
        const flipped = tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
        const dx = tf.conv2d(g, flipped, 1, 'same');
        const padded = tf.pad(xs, [[0, 0], [ph, ph], [pw, pw], [0, 0]]);
        const dw = tf.transpose(tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D, tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid'), [1, 2, 0, 3]);
        const db = tf.sum(g, [0, 1, 2]);
        return [dx, dw, db];
      },
    };
  });
  return op(x, filter, bias) as tf.Tensor4D;
}
