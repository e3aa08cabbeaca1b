import { CATALOG } from './catalog';
import { CosineMixDegradation } from './cosineMix';
import { normals, STREAM_NOISE } from './rng';

/**
 * Gaussian noise, the "hot" diffusion baseline. Mirror of training/noise.py: the signal fades into
 * ε drawn from the seed (index (y·W + x)·3 + c, the NHWC order), which the samplers never see
 * (cosineMix.ts estimates it).
 */
export class NoiseDegradation extends CosineMixDegradation {
  constructor(seed = 0) {
    super(CATALOG.noise, seed);
  }

  protected makeField(height: number, width: number, channels: number): Float32Array {
    return Float32Array.from(normals(this.seed, STREAM_NOISE, height * width * channels));
  }
}
