import * as tf from '@tensorflow/tfjs-core';
import { hashes, STREAM_OWN_TRAINING } from '../degradations/rng';
import type { UNetTopology } from '../model/manifest';
import { UNet } from '../model/unet';
import { BLOCKS } from './blocks';
import { OwnDegradation } from './ownDegradation';
import type { OwnTransform } from './ownTransform';
import { trainableConv } from './trainableConv';
import type { TrainingLoss } from './trainingSettings';
export { isTrainingLoss, TRAINING_LOSSES, type TrainingLoss } from './trainingSettings';

/**
 * Training a restorer R(x_t, t) for a transform the visitor made, on the page's own backend, the
 * paper's way: L1 between R(D(x0, t), t) and x0, t uniform in 1..T, Adam, an EMA of the weights.
 * One t per batch (the network folds t into per-block biases, unet.ts); over many batches t is
 * uniform all the same.
 */
export interface TrainingRecipe {
  readonly channels: readonly number[];
  readonly embedDim: number;
  readonly timeDim: number;
  readonly spaceToDepth: 1 | 2;
  /** Side of the square random crops trained on. */
  readonly crop: number;
  readonly batch: number;
  readonly learningRate: number;
  /** EMA decay of the weights that snapshots take (warmed up: min(ema, (1 + n) / (10 + n)) at step n). */
  readonly ema: number;
  readonly seed: number;
}

/**
 * Network sizes by backend (trainingSession.ts, recipeFor): WASM gets the small one, so a step stays
 * well under a second on a 2-core machine; plain JavaScript, several times slower, the tiny one; the
 * GPU backends the larger one.
 */
export const TRAINING_RECIPES = {
  tiny: { channels: [16, 32], embedDim: 16, timeDim: 32, spaceToDepth: 2, crop: 32, batch: 4, learningRate: 3e-3, ema: 0.98, seed: 1 },
  small: { channels: [24, 48, 64], embedDim: 32, timeDim: 64, spaceToDepth: 2, crop: 64, batch: 8, learningRate: 2e-3, ema: 0.99, seed: 1 },
  large: { channels: [32, 64, 96, 96], embedDim: 64, timeDim: 128, spaceToDepth: 2, crop: 64, batch: 16, learningRate: 1e-3, ema: 0.995, seed: 1 },
  // A warm start (trainingSession.ts): the shipped restorers' own topology, and a learning rate low enough not to
  // unlearn them: from the shipped blur restorer, at 5e-4 it fell to the identity within 20 steps; at 1e-4 naive
  // fell from 24 to 16 dB by step 45; at 3e-5 both samplers held (docs/own-transform.md).
  shipped: { channels: [48, 96, 128, 128], embedDim: 64, timeDim: 128, spaceToDepth: 2, crop: 64, batch: 8, learningRate: 3e-5, ema: 0.99, seed: 1 },
} as const satisfies Record<string, TrainingRecipe>;

export function topologyOf(recipe: TrainingRecipe, T: number): UNetTopology {
  return { architecture: 'unet', channels: [...recipe.channels], embedDim: recipe.embedDim, timeDim: recipe.timeDim, T, spaceToDepth: recipe.spaceToDepth };
}

/** Every weight's name and shape, as unet.ts reads them (and training/unet.py writes them). */
export function weightShapes(topology: UNetTopology): [string, number[]][] {
  const c = topology.channels;
  const r = topology.spaceToDepth ?? 1;
  const shapes: [string, number[]][] = [];
  const conv = (name: string, cin: number, cout: number) => shapes.push([`${name}.weight`, [3, 3, cin, cout]], [`${name}.bias`, [cout]]);
  const dense = (name: string, fin: number, fout: number) => shapes.push([`${name}.weight`, [fin, fout]], [`${name}.bias`, [fout]]);
  const block = (name: string, ch: number) => {
    conv(`${name}.conv1`, ch, ch);
    dense(`${name}.time`, topology.timeDim, ch);
    conv(`${name}.conv2`, ch, ch);
  };
  dense('time_mlp1', topology.embedDim, topology.timeDim);
  dense('time_mlp2', topology.timeDim, topology.timeDim);
  conv('stem', 3 * r * r, c[0]!);
  c.forEach((ch, level) => {
    if (level > 0) conv(`down.${level - 1}`, c[level - 1]!, ch);
    block(`enc.${level}`, ch);
  });
  block('mid', c[c.length - 1]!);
  for (let level = c.length - 2; level >= 0; level--) {
    conv(`up.${level}`, c[level + 1]! + c[level]!, c[level]!);
    block(`dec.${level}`, c[level]!);
  }
  conv('out', c[0]!, 3 * r * r);
  return shapes;
}

/** The restorer with convolutions whose gradients every backend has. */
class TrainableUNet extends UNet {
  protected override convolution(x: tf.Tensor4D, filter: tf.Tensor4D, bias: tf.Tensor1D, relu: boolean): tf.Tensor4D {
    return trainableConv(x, filter, bias, relu);
  }
}


/** One weight as plain data, free of any backend. */
export interface WeightArray {
  name: string;
  shape: number[];
  data: Float32Array;
}

/** A picture to crop from: [H, W, 3] in [-1, 1], each side at least the recipe's crop. */
export type TrainingPicture = tf.Tensor3D;

export class OwnTrainer {
  readonly topology: UNetTopology;
  readonly degradation: OwnDegradation;
  private readonly weights = new Map<string, tf.Variable>();
  private readonly averages = new Map<string, tf.Variable>();
  private readonly network: TrainableUNet;
  private readonly optimizer: tf.AdamOptimizer;
  private stepCount: number;
  /** Whether D needs whole pictures (a block laid out over the picture), not crops: see batch(). */
  private readonly wholePicture: boolean;

  constructor(
    transform: OwnTransform,
    private readonly pictures: readonly TrainingPicture[],
    readonly recipe: TrainingRecipe,
    /** Going on from a snapshot (after the backend changed): its weights and its step count. */
    from?: { weights: readonly WeightArray[]; steps: number },
    /** What a step minimises (TRAINING_LOSSES). */
    readonly loss: TrainingLoss = 'l1',
  ) {
    // A missing gradient would fail only at the first step, deep in tfjs: say what to import instead.
    if (!tf.getGradient(tf.Mean)) throw new Error("training needs tfjs's gradients: import './registerGradients' (an ES-module build) or '@tensorflow/tfjs' (Node)");
    const initial = from?.weights;
    this.stepCount = from?.steps ?? 0;
    if (pictures.length === 0) throw new Error('training needs at least one picture');
    for (const p of pictures) {
      const [h, w] = p.shape;
      if (h < recipe.crop || w < recipe.crop) throw new Error(`a training picture of ${w}×${h} is smaller than the ${recipe.crop}-pixel crop`);
    }
    this.topology = topologyOf(recipe, transform.T);
    this.degradation = new OwnDegradation(transform, recipe.seed);
    this.wholePicture = transform.blocks.some((b) => BLOCKS[b.kind].wholePicture);
    const given = new Map((initial ?? []).map((w) => [w.name, w]));
    const draws = hashes(recipe.seed, STREAM_OWN_TRAINING, 1);
    let seed = draws[0]!;
    for (const [name, shape] of weightShapes(this.topology)) {
      // He initialisation; each residual block's second convolution and the output convolution start at
      // zero, so every block and R itself start as the identity: without normalisation layers, that keeps
      // a deep stack trainable at a useful learning rate (a He-initialised conv2 stalled at 3e-3).
      const isBias = shape.length === 1;
      const fanIn = shape.length === 4 ? shape[0]! * shape[1]! * shape[2]! : shape[0]!;
      const zero = isBias || name.startsWith('out.') || name.endsWith('.conv2.weight');
      const start = given.get(name);
      if (initial && (!start || start.shape.join() !== shape.join())) throw new Error(`the weights to go on from have no ${name} of shape ${shape.join('×')}`);
      const init = start ? tf.tensor(start.data, shape) : zero ? tf.zeros(shape) : tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), 'float32', (seed = (seed + 0x9e3779b9) >>> 0));
      this.weights.set(name, tf.variable(init, true));
      this.averages.set(name, tf.variable(init, false));
      init.dispose();
    }
    this.network = new TrainableUNet(this.topology, this.weights);
    this.optimizer = tf.train.adam(recipe.learningRate);
  }

  get steps(): number {
    return this.stepCount;
  }

  get parameterCount(): number {
    return this.network.parameterCount;
  }

  /**
   * The batch of step n (owned by the caller): a step t in 1..T, and random crops of flipped or unflipped pictures
   * with the same crops of D(·, t), all from the seed. A transform with a painted mask (BLOCKS' `wholePicture`) is
   * applied to the whole pictures, then cropped: the mask is drawn at the picture's size, and on a 64-pixel crop it
   * was half as wide as the network meets at 128×128 (held-out PSNR fell from the first minute on;
   * docs/own-transform.md, "Crops after the transform"). Otherwise D gets the crops, in one call.
   */
  batchOf(n: number): { x0: tf.Tensor4D; xt: tf.Tensor4D; t: number } {
    const { batch, crop } = this.recipe;
    const h = hashes((this.recipe.seed + Math.imul(n + 1, 0x9e3779b9)) >>> 0, STREAM_OWN_TRAINING, 4 * batch + 2);
    const t = 1 + (h[4 * batch]! % this.degradation.T);
    const D = this.degradation.withSeed(h[4 * batch + 1]!);
    return tf.tidy(() => {
      const pictures = Array.from({ length: batch }, (_, i) => {
        const source = this.pictures[h[4 * i]! % this.pictures.length]!;
        const [height, width] = source.shape;
        const flipped = (h[4 * i + 3]! & 1) === 1;
        const y = h[4 * i + 1]! % (height - crop + 1);
        const left = h[4 * i + 2]! % (width - crop + 1);
        // The crop at `left` of the picture, flipped: the crop at the mirrored place of the flipped picture.
        const x = flipped ? width - crop - left : left;
        const picture = tf.expandDims<tf.Tensor4D>(flipped ? tf.reverse(source, 1) : source, 0);
        return { picture, window: (image: tf.Tensor4D) => tf.slice(image, [0, y, x, 0], [1, crop, crop, 3]) };
      });
      const x0 = tf.concat(pictures.map((p) => p.window(p.picture)));
      const xt = this.wholePicture ? tf.concat(pictures.map((p) => p.window(D.apply(p.picture, t)))) : D.apply(x0, t);
      return { x0, xt, t };
    });
  }

  /** One Adam step; returns its loss. */
  step(): number {
    const loss = this.stepTensor();
    const value = loss.dataSync()[0]!;
    loss.dispose();
    return value;
  }

  /**
   * One Adam step, its loss read asynchronously on GPU backends: tfjs-webgpu's synchronous read goes through
   * canvases, after which SwiftShader's device was gone ("A valid external Instance reference no longer exists").
   */
  async stepAsync(): Promise<number> {
    const loss = this.stepTensor();
    const backend = tf.getBackend();
    try {
      return backend === 'wasm' || backend === 'cpu' ? loss.dataSync()[0]! : (await loss.data())[0]!;
    } finally {
      loss.dispose();
    }
  }

  private stepTensor(): tf.Scalar {
    const n = this.stepCount++;
    return tf.tidy(() => {
      const { x0, xt, t } = this.batchOf(n);
      const error = () => tf.sub(this.network.predict(xt, t), x0);
      const loss = this.loss === 'l1' ? () => tf.mean(tf.abs(error())) as tf.Scalar : () => tf.mean(tf.square(error())) as tf.Scalar;
      const value = this.optimizer.minimize(loss, true, [...this.weights.values()]);
      const decay = Math.min(this.recipe.ema, (1 + n) / (10 + n));
      for (const [name, w] of this.weights) {
        const average = this.averages.get(name)!;
        average.assign(tf.add(tf.mul(average, decay), tf.mul(w, 1 - decay)));
      }
      return value!;
    });
  }

  /** A restorer to sample with: a copy of the averaged weights now, owned by the caller (dispose it). */
  snapshot(): UNet {
    const copy = new Map<string, tf.Tensor>();
    for (const [name, w] of this.averages) copy.set(name, tf.clone(w));
    return new UNet(this.topology, copy);
  }

  /** The averaged weights as plain arrays (to keep, download or send to another thread). */
  async exportWeights(): Promise<WeightArray[]> {
    return Promise.all([...this.averages].map(async ([name, w]) => ({ name, shape: [...w.shape], data: Float32Array.from(await w.data()) })));
  }

  dispose(): void {
    this.optimizer.dispose();
    for (const w of [...this.weights.values(), ...this.averages.values()]) w.dispose();
  }
}
