import * as tf from '@tensorflow/tfjs-core';
import { spaceToDepthOf, type UNetTopology } from './manifest';

/**
 * Forward pass of training/unet.py in tfjs ops, for one step t shared by the batch.
 * Because every chain in a batch is at the same t, the timestep embedding becomes a
 * per-block bias and is folded into the fused conv+bias+ReLU (no broadcast add).
 */
export class UNet {
  constructor(
    readonly topology: UNetTopology,
    private readonly weights: ReadonlyMap<string, tf.Tensor>,
  ) {}

  get downsampling(): number {
    return 2 ** (this.topology.channels.length - 1) * spaceToDepthOf(this.topology);
  }

  /** The weights as plain data, free of the backend (to keep across a backend switch, or to save). */
  async weightArrays(): Promise<{ name: string; shape: number[]; data: Float32Array }[]> {
    return Promise.all([...this.weights].map(async ([name, w]) => ({ name, shape: [...w.shape], data: Float32Array.from(await w.data()) })));
  }

  get parameterCount(): number {
    let n = 0;
    for (const w of this.weights.values()) n += w.size;
    return n;
  }

  private w<R extends tf.Rank>(name: string): tf.Tensor<R> {
    const t = this.weights.get(name);
    if (!t) throw new Error(`UNet: weight "${name}" not loaded`);
    return t as tf.Tensor<R>;
  }

  /** Sinusoidal embedding of t rescaled to 0..1000, as in training/unet.py. */
  timestepEmbedding(t: number): tf.Tensor2D {
    const half = this.topology.embedDim / 2;
    const values = new Float32Array(2 * half);
    // Rounded to float32 at each step, as PyTorch computes it, so the two sides agree.
    const f = Math.fround;
    const scaled = f(t * f(1000 / this.topology.T));
    const logBase = f(-Math.log(10000));
    for (let i = 0; i < half; i++) {
      const freq = f(Math.exp(f(f(logBase * i) / half)));
      const arg = f(scaled * freq);
      values[i] = Math.sin(arg);
      values[half + i] = Math.cos(arg);
    }
    return tf.tensor2d(values, [1, 2 * half]);
  }

  private dense(x: tf.Tensor2D, name: string, relu: boolean): tf.Tensor2D {
    return tf.fused.matMul({ a: x, b: this.w<tf.Rank.R2>(`${name}.weight`), bias: this.w(`${name}.bias`), activation: relu ? 'relu' : 'linear' }) as tf.Tensor2D;
  }

  private conv(x: tf.Tensor4D, name: string, relu: boolean, bias?: tf.Tensor1D): tf.Tensor4D {
    return this.convolution(x, this.w<tf.Rank.R4>(`${name}.weight`), bias ?? this.w(`${name}.bias`), relu);
  }

  /** A 3×3 'same' convolution + bias (+ ReLU); training replaces it with one whose gradients every backend has (own/trainableConv.ts). */
  protected convolution(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, relu: boolean): tf.Tensor4D {
    return tf.fused.conv2d({ x, filter, strides: 1, pad: 'same', bias, activation: relu ? 'relu' : 'linear' });
  }

  private block(x: tf.Tensor4D, name: string, temb: tf.Tensor2D): tf.Tensor4D {
    const bias = tf.add(this.w<tf.Rank.R1>(`${name}.conv1.bias`), tf.reshape(this.dense(temb, `${name}.time`, false), [-1])) as tf.Tensor1D;
    const h = this.conv(x, `${name}.conv1`, true, bias);
    return tf.add(x, this.conv(h, `${name}.conv2`, false));
  }

  /** x̂0 = R(x_t, t). x: [batch, H, W, 3] in [-1, 1], H and W multiples of `downsampling`. */
  predict(x: tf.Tensor4D, t: number): tf.Tensor4D {
    const [, height, width, channels] = x.shape;
    const d = this.downsampling;
    if (channels !== 3) throw new Error(`UNet: expected 3 colour channels, got ${channels}`);
    if (height % d !== 0 || width % d !== 0) {
      throw new Error(`UNet: image size ${width}×${height} must be a multiple of ${d}`);
    }
    return tf.tidy(() => {
      const emb = this.timestepEmbedding(t);
      const temb = this.dense(this.dense(emb, 'time_mlp1', true), 'time_mlp2', true);
      const c = this.topology.channels;
      const r = spaceToDepthOf(this.topology);
      let h = this.conv(r > 1 ? spaceToDepth(x, r) : x, 'stem', true);
      const skips: tf.Tensor4D[] = [];
      for (let level = 0; level < c.length; level++) {
        if (level > 0) h = this.conv(tf.avgPool(h, 2, 2, 'valid'), `down.${level - 1}`, true);
        h = this.block(h, `enc.${level}`, temb);
        skips.push(h);
      }
      h = this.block(h, 'mid', temb);
      for (let level = c.length - 2; level >= 0; level--) {
        const [, hh, ww] = h.shape;
        h = tf.image.resizeNearestNeighbor(h, [hh * 2, ww * 2]);
        h = this.conv(tf.concat([h, skips[level]!], 3), `up.${level}`, true);
        h = this.block(h, `dec.${level}`, temb);
      }
      const out = this.conv(h, 'out', false);
      return tf.add(x, r > 1 ? depthToSpace(out, r) : out);
    });
  }

  dispose(): void {
    for (const t of this.weights.values()) t.dispose();
  }
}

// TensorFlow's channel order (channel (i·r + j)·C + c), as training/unet.py. tfjs has no
// spaceToDepth op, so both directions are reshape + transpose, visibly each other's inverse.
function spaceToDepth(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return tf.reshape(tf.transpose(tf.reshape(x, [b, h / r, r, w / r, r, c]), [0, 1, 3, 2, 4, 5]), [b, h / r, w / r, r * r * c]);
}

function depthToSpace(x: tf.Tensor4D, r: number): tf.Tensor4D {
  const [b, h, w, rrc] = x.shape;
  const c = rrc / (r * r);
  return tf.reshape(tf.transpose(tf.reshape(x, [b, h, w, r, r, c]), [0, 1, 3, 2, 4, 5]), [b, h * r, w * r, c]);
}
