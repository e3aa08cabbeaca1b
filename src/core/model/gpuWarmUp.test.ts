import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../testing/fixtures';
import { backendCompiles, warmUpGpu } from './gpuWarmUp';
import { UNet } from './unet';

describe('building GPU programs ahead', () => {
  beforeAll(useCpuBackend);

  it('does nothing on a backend that compiles nothing (CPU, WASM): no time, no tensors left, the flag untouched', async () => {
    const unet = new UNet({ architecture: 'unet', channels: [4], embedDim: 4, timeDim: 8, T: 5 }, new Map());
    const before = tf.memory().numTensors;
    expect(backendCompiles()).toBe(false);
    expect(await warmUpGpu(unet, [2, 8, 8, 3])).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
  });
});
