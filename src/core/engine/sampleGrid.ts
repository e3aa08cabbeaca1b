import * as tf from '@tensorflow/tfjs-core';
import { createDegradation } from '../degradations';
import { generatorFor, type GenerationDataset } from '../degradations/catalog';
import { colourFromHex, generationStart, type GenerationStart } from '../generation';
import type { UNet } from '../model/unet';
import { toPixels } from './stepPictures';
import type { Pixels } from './types';

/** Several generated samples at once: one per seed, the same data set, colour choice and noise. */
export interface GridRequest {
  dataset: GenerationDataset;
  /** '' : each seed draws its colour; 'rrggbb': every sample starts from this colour. */
  colour: string;
  sigma: number;
  seeds: number[];
}

/** The grid after `done` of `of` steps of improved sampling: each sample's current x_s (at the end, x_0). */
export interface GridState {
  done: number;
  of: number;
  samples: Pixels[];
}

/**
 * Improved sampling (Algorithm 2) of every seed in one batch, a step at a time: `step()` does one
 * and returns the state, so the engine can put each step in its queue and a visitor's run never
 * waits for more than one of them.
 */
export class SampleGrid {
  private xs: tf.Tensor4D;
  private s: number;
  private readonly size: number;
  private readonly D;

  constructor(
    private readonly request: GridRequest,
    start: GenerationStart,
    private readonly unet: UNet,
  ) {
    const g = generatorFor(request.dataset);
    this.size = g.size;
    this.D = createDegradation(g.degradationId);
    this.s = g.schedule.T;
    const overrides = { colour: colourFromHex(request.colour), noiseSigma: request.sigma };
    const starts = request.seeds.map((seed) => generationStart(start, seed, g.size, overrides));
    const batch = new Float32Array(starts.length * starts[0]!.length);
    starts.forEach((x, i) => batch.set(x, i * x.length));
    this.xs = tf.tensor4d(batch, [starts.length, g.size, g.size, 3]);
  }

  get finished(): boolean {
    return this.s === 0;
  }

  /** x_s → x_{s−1} = x_s − D(x̂0, s) + D(x̂0, s−1), for all seeds; then the samples as pixels. */
  async step(): Promise<GridState> {
    if (this.s > 0) {
      const s = this.s;
      const next = tf.tidy(() => {
        const x0 = this.unet.predict(this.xs, s);
        return tf.add<tf.Tensor4D>(tf.sub(this.xs, this.D.apply(x0, s)), this.D.apply(x0, s - 1));
      });
      this.xs.dispose();
      this.xs = next;
      this.s = s - 1;
    }
    const values = await this.xs.data<'float32'>();
    const n = this.size * this.size * 3;
    const T = generatorFor(this.request.dataset).schedule.T;
    return {
      done: T - this.s,
      of: T,
      samples: this.request.seeds.map((_, i) => toPixels(values.subarray(i * n, (i + 1) * n), { width: this.size, height: this.size })),
    };
  }

  dispose(): void {
    this.xs.dispose();
  }
}
