import * as tf from '@tensorflow/tfjs-core';
import { normals, STREAM_OWN_NOISE } from '../degradations/rng';
import { applySeparable, MatrixCache } from '../degradations/separable';
import { checkStep, type Degradation } from '../degradations/types';
import { describeBlock, param, strength, type Block } from './blocks';
import { encodeTransform, MASK_SIDE, type OwnTransform } from './ownTransform';

/**
 * D(x, t) of a transform the visitor composed: each block at its strength s = curve(t / T), in order.
 * Every block is the identity at s = 0, so D(x, 0) = x. Per-size constants (kernels, warps, mask
 * fields, the noise field) are plain arrays cached per instance; no tensor outlives a call.
 */
export class OwnDegradation implements Degradation {
  readonly id = 'own';
  readonly label = 'Your transform';
  readonly description: string;
  readonly T: number;
  readonly seeded: boolean;
  private readonly arrays = new Map<string, Float32Array | Int32Array>();
  private readonly matrices = new MatrixCache();

  constructor(
    readonly transform: OwnTransform,
    readonly seed = 0,
  ) {
    this.T = transform.T;
    this.seeded = transform.blocks.some((b) => b.kind === 'noise');
    this.description = transform.blocks.map(describeBlock).join(', then ');
  }

  /** The link value that names this transform. */
  get key(): string {
    return encodeTransform(this.transform);
  }

  /** The same transform with another noise field: training draws a new one for each batch, so the network cannot learn one field by heart. */
  withSeed(seed: number): OwnDegradation {
    const other = new OwnDegradation(this.transform, seed);
    for (const [key, value] of this.arrays) if (!key.startsWith('noise:')) other.arrays.set(key, value);
    return other;
  }

  strengthLabel(t: number): string {
    return `${Math.round(100 * strength('linear', t, this.T))} % of T`;
  }

  apply(x: tf.Tensor4D, t: number): tf.Tensor4D {
    checkStep(this, t);
    if (t === 0) return tf.clone(x);
    return tf.tidy(() => {
      let y = x;
      for (const [index, block] of this.transform.blocks.entries()) {
        const s = strength(block.curve, t, this.T);
        if (s > 0) y = this.applyBlock(y, block, s, `${index}:${t}`);
      }
      return y === x ? tf.clone(x) : y;
    });
  }

  private cached<T extends Float32Array | Int32Array>(key: string, build: () => T): T {
    let value = this.arrays.get(key) as T | undefined;
    if (!value) {
      value = build();
      this.arrays.set(key, value);
    }
    return value;
  }

  private applyBlock(x: tf.Tensor4D, block: Block, s: number, key: string): tf.Tensor4D {
    const [, height, width] = x.shape;
    const size = `${height}x${width}`;
    switch (block.kind) {
      case 'gauss': {
        const sx = param(block, 'sx') * s;
        const sy = param(block, 'sy') * s;
        const radius = Math.ceil(3 * Math.max(sx, sy));
        return convolve(x, radius, this.cached(`k:${key}`, () => gaussianKernel2d(sx, sy, param(block, 'angle'), radius)));
      }
      case 'motion': {
        const length = 1 + (param(block, 'length') - 1) * s;
        const radius = Math.ceil(length / 2);
        return convolve(x, radius, this.cached(`k:${key}`, () => lineKernel(length, param(block, 'angle'), radius)));
      }
      case 'defocus': {
        const r = param(block, 'radius') * s;
        const radius = Math.ceil(r);
        return convolve(x, radius, this.cached(`k:${key}`, () => diskKernel(r, radius)));
      }
      case 'pixelate': {
        const blockSize = Math.round(1 + (param(block, 'size') - 1) * s);
        if (blockSize <= 1) return x;
        const rows = this.matrices.get(`${blockSize}:${height}`, () => ({ data: blockAverageMatrix(blockSize, height), shape: [height, height] }));
        const cols = this.matrices.get(`${blockSize}:${width}`, () => ({ data: blockAverageMatrix(blockSize, width), shape: [width, width] }));
        return applySeparable(x, rows, cols);
      }
      case 'fade': {
        const a = (param(block, 'amount') / 100) * s;
        return tf.add(tf.mul(x, 1 - a), tf.mul(colourTensor(param(block, 'colour')), a));
      }
      case 'darken': {
        const a = (param(block, 'amount') / 100) * s;
        return tf.sub(tf.mul(tf.add(x, 1), 1 - a), 1);
      }
      case 'contrast': {
        const a = (param(block, 'amount') / 100) * s;
        const mean = tf.mean(x, [1, 2, 3], true);
        return tf.add(mean, tf.mul(tf.sub(x, mean), 1 - a));
      }
      case 'posterize': {
        const levels = Math.max(2, Math.round(Math.exp((1 - s) * Math.log(256) + s * Math.log(param(block, 'levels')))));
        const u = tf.mul(tf.add(tf.clipByValue(x, -1, 1), 1), (levels - 1) / 2);
        return tf.sub(tf.mul(tf.round(u), 2 / (levels - 1)), 1);
      }
      case 'swirl': {
        const warp = this.cached(`w:${key}:${size}`, () => swirlWarp(param(block, 'angle') * s, param(block, 'radius') / 100, height, width));
        return bilinearWarp(x, warp);
      }
      case 'noise': {
        const field = this.cached(`noise:${size}`, () => Float32Array.from(normals(this.seed, STREAM_OWN_NOISE, height * width * 3)));
        return tf.add(x, tf.mul(tf.tensor4d(field, [1, height, width, 3]), (param(block, 'sigma') / 100) * 2 * s));
      }
      case 'mask': {
        const fadesIn = param(block, 'growth') === 1;
        const m = this.cached(`m:${key}:${size}`, () => maskField(this.transform.mask, fadesIn ? 1 : s, height, width));
        if (!m.some((v) => v > 0)) return x;
        const coverage = tf.mul(tf.tensor4d(m as Float32Array, [1, height, width, 1]), fadesIn ? s : 1);
        return tf.add(tf.mul(x, tf.sub(1, coverage)), tf.mul(colourTensor(param(block, 'colour')), coverage));
      }
    }
  }
}

export function colourValues(rgb: number): [number, number, number] {
  return [(rgb >> 16) & 255, (rgb >> 8) & 255, rgb & 255].map((v) => (v / 255) * 2 - 1) as [number, number, number];
}

function colourTensor(rgb: number): tf.Tensor4D {
  return tf.tensor4d(colourValues(rgb), [1, 1, 1, 3]);
}

/** A depthwise convolution with reflected borders; the kernel is (2r+1)² taps summing to 1. */
function convolve(x: tf.Tensor4D, radius: number, kernel: Float32Array | Int32Array): tf.Tensor4D {
  if (radius === 0) return x;
  const [, height, width] = x.shape;
  // Reflection needs a border shorter than the side: a tiny picture gets a truncated, renormalised kernel.
  const pad = Math.min(radius, height - 1, width - 1);
  let taps = kernel as Float32Array;
  if (pad < radius) taps = cropKernel(taps, radius, pad);
  const kk = 2 * pad + 1;
  const filter = tf.tile(tf.tensor4d(taps, [kk, kk, 1, 1]), [1, 1, 3, 1]) as tf.Tensor4D;
  const padded = tf.mirrorPad(x, [[0, 0], [pad, pad], [pad, pad], [0, 0]], 'reflect');
  return tf.depthwiseConv2d(padded, filter, 1, 'valid');
}

function cropKernel(taps: Float32Array, radius: number, pad: number): Float32Array {
  const k = 2 * radius + 1;
  const kk = 2 * pad + 1;
  const out = new Float32Array(kk * kk);
  let sum = 0;
  for (let y = 0; y < kk; y++) for (let x = 0; x < kk; x++) sum += out[y * kk + x] = taps[(y + radius - pad) * k + x + radius - pad]!;
  return out.map((v) => v / sum);
}

function normalised(taps: Float64Array): Float32Array {
  const sum = taps.reduce((a, b) => a + b, 0);
  return Float32Array.from(taps, (v) => v / sum);
}

/** A Gaussian of σ sx across and sy along the direction `angle` (degrees), sampled at integer offsets. */
export function gaussianKernel2d(sx: number, sy: number, angle: number, radius: number): Float32Array {
  const k = 2 * radius + 1;
  const taps = new Float64Array(k * k);
  const a = (angle * Math.PI) / 180;
  const [c, sn] = [Math.cos(a), Math.sin(a)];
  // A σ under half a pixel is a point at this sampling: floor it so the taps stay finite.
  const [vx, vy] = [Math.max(sx, 0.3) ** 2, Math.max(sy, 0.3) ** 2];
  for (let dy = -radius; dy <= radius; dy++) {
    for (let dx = -radius; dx <= radius; dx++) {
      const u = c * dx + sn * dy;
      const v = -sn * dx + c * dy;
      taps[(dy + radius) * k + dx + radius] = Math.exp(-0.5 * ((u * u) / vx + (v * v) / vy));
    }
  }
  return normalised(taps);
}

/** A streak of `length` pixels through the centre at `angle`: 8 samples per pixel, each split bilinearly. */
export function lineKernel(length: number, angle: number, radius: number): Float32Array {
  const k = 2 * radius + 1;
  const taps = new Float64Array(k * k);
  const a = (angle * Math.PI) / 180;
  const samples = Math.max(1, Math.ceil(length * 8));
  for (let i = 0; i < samples; i++) {
    const d = samples === 1 ? 0 : ((i + 0.5) / samples - 0.5) * (length - 1);
    const px = radius + d * Math.cos(a);
    const py = radius + d * Math.sin(a);
    const [x0, y0] = [Math.floor(px), Math.floor(py)];
    const [fx, fy] = [px - x0, py - y0];
    for (const [ox, oy, w] of [[0, 0, (1 - fx) * (1 - fy)], [1, 0, fx * (1 - fy)], [0, 1, (1 - fx) * fy], [1, 1, fx * fy]] as const) {
      const [xx, yy] = [x0 + ox, y0 + oy];
      if (xx >= 0 && xx < k && yy >= 0 && yy < k) taps[yy * k + xx]! += w;
    }
  }
  return normalised(taps);
}

/** A disk of radius r: each tap weighs the share of its pixel inside the disk (4×4 subsamples). */
export function diskKernel(r: number, radius: number): Float32Array {
  const k = 2 * radius + 1;
  const taps = new Float64Array(k * k);
  for (let y = 0; y < k; y++) {
    for (let x = 0; x < k; x++) {
      let inside = 0;
      for (let sy = 0; sy < 4; sy++) for (let sx = 0; sx < 4; sx++) inside += (x - radius + (sx + 0.5) / 4 - 0.5) ** 2 + (y - radius + (sy + 0.5) / 4 - 0.5) ** 2 <= r * r ? 1 : 0;
      taps[y * k + x] = inside / 16;
    }
  }
  taps[radius * k + radius] = Math.max(taps[radius * k + radius]!, 1e-6);
  return normalised(taps);
}

/** One axis of a block average: pixel i takes the mean of its block (blocks from 0; the last may be shorter). */
export function blockAverageMatrix(blockSize: number, n: number): Float32Array {
  const m = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    const start = Math.floor(i / blockSize) * blockSize;
    const end = Math.min(n, start + blockSize);
    for (let j = start; j < end; j++) m[i * n + j] = 1 / (end - start);
  }
  return m;
}

/**
 * Where each output pixel reads from under a swirl of `turn` degrees at the centre, fading to none at
 * `radiusShare` of the half-diagonal: 4 neighbour indices and 4 weights per pixel (clamped borders).
 */
export function swirlWarp(turn: number, radiusShare: number, height: number, width: number): Float32Array {
  const n = height * width;
  const out = new Float32Array(8 * n);
  const [cx, cy] = [(width - 1) / 2, (height - 1) / 2];
  const R = radiusShare * Math.hypot(cx, cy);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [dx, dy] = [x - cx, y - cy];
      const r = Math.hypot(dx, dy);
      const theta = r < R ? ((turn * Math.PI) / 180) * (1 - r / R) ** 2 : 0;
      const [c, s] = [Math.cos(theta), Math.sin(theta)];
      const sx = Math.min(width - 1, Math.max(0, cx + c * dx - s * dy));
      const sy = Math.min(height - 1, Math.max(0, cy + s * dx + c * dy));
      const [x0, y0] = [Math.floor(sx), Math.floor(sy)];
      const [x1, y1] = [Math.min(width - 1, x0 + 1), Math.min(height - 1, y0 + 1)];
      const [fx, fy] = [sx - x0, sy - y0];
      const i = 8 * (y * width + x);
      out.set([y0 * width + x0, y0 * width + x1, y1 * width + x0, y1 * width + x1, (1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy], i);
    }
  }
  return out;
}

function bilinearWarp(x: tf.Tensor4D, warp: Float32Array | Int32Array): tf.Tensor4D {
  const [batch, height, width, channels] = x.shape;
  const n = height * width;
  const flat = tf.reshape(x, [batch, n, channels]);
  let sum: tf.Tensor | null = null;
  for (let corner = 0; corner < 4; corner++) {
    const index = new Int32Array(n);
    const weight = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      index[i] = warp[8 * i + corner]!;
      weight[i] = warp[8 * i + 4 + corner]!;
    }
    const term = tf.mul(tf.gather(flat, tf.tensor1d(index, 'int32'), 1), tf.tensor3d(weight, [1, n, 1]));
    sum = sum ? tf.add(sum, term) : term;
  }
  return tf.reshape(sum!, [batch, height, width, channels]);
}

/**
 * The painted mask's coverage at H×W (0..1), from the signed distance of each cell to the painted
 * edge (positive inside). At `grown` = 1 it is what was painted, with a one-pixel soft edge; below 1
 * only the part deeper than (1 − grown) of the deepest point, so it grows from the strokes' middle.
 */
export function maskField(mask: Uint8Array, grown: number, height: number, width: number): Float32Array {
  const side = MASK_SIDE;
  const painted: number[] = [];
  const clear: number[] = [];
  mask.forEach((bit, i) => (bit ? painted : clear).push(i));
  const out = new Float32Array(height * width);
  if (painted.length === 0) return out;
  const nearest = (i: number, cells: number[]) => {
    if (cells.length === 0) return side;
    const [x, y] = [i % side, Math.floor(i / side)];
    let best = Infinity;
    for (const j of cells) best = Math.min(best, (x - (j % side)) ** 2 + (y - Math.floor(j / side)) ** 2);
    return Math.sqrt(best);
  };
  const signed = new Float32Array(side * side);
  for (let i = 0; i < side * side; i++) signed[i] = mask[i] ? nearest(i, clear) - 0.5 : 0.5 - nearest(i, painted);
  const deepest = Math.max(...signed);
  const threshold = (1 - grown) * deepest;
  const scale = width / side;
  for (let y = 0; y < height; y++) {
    const v = Math.min(side - 1, Math.max(0, ((y + 0.5) * side) / height - 0.5));
    const [v0, fv] = [Math.floor(v), v - Math.floor(v)];
    const v1 = Math.min(side - 1, v0 + 1);
    for (let x = 0; x < width; x++) {
      const u = Math.min(side - 1, Math.max(0, ((x + 0.5) * side) / width - 0.5));
      const [u0, fu] = [Math.floor(u), u - Math.floor(u)];
      const u1 = Math.min(side - 1, u0 + 1);
      const d = (1 - fv) * ((1 - fu) * signed[v0 * side + u0]! + fu * signed[v0 * side + u1]!) + fv * ((1 - fu) * signed[v1 * side + u0]! + fu * signed[v1 * side + u1]!);
      out[y * width + x] = Math.min(1, Math.max(0, (d - threshold) * scale + 0.5));
    }
  }
  return out;
}

/** Below this RMS change (on [-1, 1], about a quarter of a grey level) a picture counts as untouched. */
const UNTOUCHED_RMS = 0.004;

/**
 * What makes a transform a poor one to learn, read off a picture: nothing destroyed at t = 1 (the
 * first steps teach nothing, or no step does), or everything (t = 1 is as far gone as T, so the steps
 * between have nothing left to undo). null when it grows as it should.
 */
export async function transformWarning(D: OwnDegradation, x0: tf.Tensor4D): Promise<string | null> {
  const distances = tf.tidy(() => {
    const a = D.apply(x0, 1);
    const b = D.apply(x0, D.T);
    const rms = (u: tf.Tensor, v: tf.Tensor) => tf.sqrt(tf.mean(tf.square(tf.sub(u, v))));
    return tf.stack([rms(a, x0), rms(b, x0), rms(a, b)]);
  });
  // Read asynchronously: tfjs-webgpu's synchronous read goes through canvases, which lost SwiftShader's device.
  const values = await distances.data();
  distances.dispose();
  const [first, last, between] = [values[0]!, values[1]!, values[2]!];
  if (last < UNTOUCHED_RMS) return 'This transform changes nothing on this picture, even at T: there is nothing to undo (a painted mask with nothing painted? an amount of 0?).';
  if (first < UNTOUCHED_RMS) return 'At t = 1 this transform changes nothing visible: the first steps teach the restorer nothing. A larger strength, an ease-out schedule or a smaller T makes every step count.';
  if (between < 0.1 * last) return 'At t = 1 this transform already destroys about everything it destroys at T: the steps in between have nothing left to undo. An ease-in schedule or a larger T spreads it out.';
  return null;
}
