import * as tf from '@tensorflow/tfjs-core';
import './registerGradients';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, describe, expect, it } from 'vitest';
import { trainableConv } from './trainableConv';

function randomCase(seed: number, [b, h, w, cin, cout, k]: number[]) {
  return {
    x: tf.randomNormal([b!, h!, w!, cin!], 0, 1, 'float32', seed) as tf.Tensor4D,
    filter: tf.randomNormal([k!, k!, cin!, cout!], 0, 0.3, 'float32', seed + 1) as tf.Tensor4D,
    bias: tf.randomNormal([cout!], 0, 0.1, 'float32', seed + 2) as tf.Tensor1D,
    weight: tf.randomNormal([b!, h!, w!, cout!], 0, 1, 'float32', seed + 3),
  };
}

/** Gradients of sum(weight · conv(x)) w.r.t. x, filter and bias, as arrays. */
async function gradients(conv: typeof trainableConv, shape: number[], relu: boolean, seed = 3) {
  const c = randomCase(seed, shape);
  const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, relu), c.weight));
  const grads = tf.grads(f)([c.x, c.filter, c.bias]);
  const arrays = await Promise.all(grads.map((g) => g.data()));
  tf.dispose([...grads, c.x, c.filter, c.bias, c.weight]);
  return arrays.map((a) => Float32Array.from(a));
}

const reference: typeof trainableConv = (x, filter, bias, relu) => {
  const y = tf.add(tf.conv2d(x, filter, 1, 'same'), bias);
  return (relu ? tf.relu(y) : y) as tf.Tensor4D;
};

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

describe('trainableConv: gradients from forward convolutions only', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  for (const relu of [false, true]) {
    it(`on WASM equals the CPU backend's own conv2d gradients (relu ${relu})`, async () => {
      const shape = [3, 8, 12, 5, 4, 3];
      await tf.setBackend('cpu');
      const expected = await gradients(reference, shape, relu);
      await tf.setBackend('wasm');
      const got = await gradients(trainableConv, shape, relu);
      for (let i = 0; i < 3; i++) expect(maxAbsDiff(got[i]!, expected[i]!)).toBeLessThan(1e-3);
      // And something to compare: the gradients are not all zero.
      expect(expected[1]!.some((v) => Math.abs(v) > 0.1)).toBe(true);
    });
  }

  it("WASM has no gradient for tf.conv2d's filter (the reason for trainableConv)", async () => {
    await tf.setBackend('wasm');
    await expect(gradients(reference, [1, 4, 4, 2, 2, 3], false)).rejects.toThrow(/Conv2DBackpropFilter/);
  });
});
