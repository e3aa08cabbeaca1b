import type * as tf from '@tensorflow/tfjs-core';
import { rgbaToTensor } from '../image';
import type { Pixels } from './types';

/** The original as the samplers use it: a tensor on the current backend, and its values for the metrics. */
export interface Original {
  tensor: tf.Tensor4D;
  floats: Float32Array;
}

/** The image to restore: plain data kept across backends, and its tensor, made again after a switch. */
export class SourceImage {
  private image: { pixels: Pixels; floats: Float32Array; tensor: tf.Tensor4D | null } | null = null;

  async set(pixels: Pixels): Promise<void> {
    this.image?.tensor?.dispose();
    const tensor = rgbaToTensor(pixels.rgba, pixels.width, pixels.height);
    this.image = { pixels, tensor, floats: (await tensor.data()) as Float32Array };
  }

  /** The picture as set (null until one is). */
  pixels(): Pixels | null {
    return this.image?.pixels ?? null;
  }

  /** null until an image is set. */
  original(): Original | null {
    if (!this.image) return null;
    this.image.tensor ??= rgbaToTensor(this.image.pixels.rgba, this.image.pixels.width, this.image.pixels.height);
    return { tensor: this.image.tensor, floats: this.image.floats };
  }

  /** Before a backend switch: the tensor lives on the old one. */
  dropTensor(): void {
    try {
      this.image?.tensor?.dispose();
    } catch {
      // The old device may be gone already; its memory went with it.
    }
    if (this.image) this.image.tensor = null;
  }

  clear(): void {
    this.dropTensor();
    this.image = null;
  }
}
