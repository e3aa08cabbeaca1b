import * as tf from '@tensorflow/tfjs-core';
import type { UNet } from './unet';

/** The flag that makes each GPU backend build its programs without running them (tfjs 4.22). */
const COMPILE_ONLY_FLAG: Partial<Record<string, string>> = { webgl: 'ENGINE_COMPILE_ONLY', webgpu: 'WEBGPU_ENGINE_COMPILE_ONLY' };

interface CompilingBackend {
  checkCompileCompletionAsync?(): Promise<unknown>;
  /** WebGL: binds the uniforms of the programs just compiled (they were built without running). */
  getUniformLocations?(): void;
}

/** Whether the current backend compiles programs that a warm-up can build ahead. */
export function backendCompiles(): boolean {
  return COMPILE_ONLY_FLAG[tf.getBackend()] !== undefined;
}

/**
 * Builds the network's GPU programs before the first step: one forward in tfjs's compile-only mode
 * (every program is created, none runs), then waits while the driver finishes them, in parallel where
 * it can (KHR_parallel_shader_compile, createComputePipelineAsync). Without it the first step compiles
 * them one by one as it meets them (tensorflow/tfjs#6970, #5689: 10-25 s for small U-Nets on real GPUs;
 * the software adapter here, BENCHMARKS.md). Programs are keyed by shapes, so `shape` is the run's
 * input (naive and improved as a batch of two). The flag is on only while the forward is recorded
 * (synchronously), so other work on the backend never runs in compile-only mode; runs that need the
 * model wait for this (modelCache.ts). Returns the milliseconds it took; null on backends that compile nothing.
 */
export async function warmUpGpu(unet: UNet, shape: [number, number, number, number]): Promise<number | null> {
  const flag = COMPILE_ONLY_FLAG[tf.getBackend()];
  const backend = tf.backend() as unknown as CompilingBackend;
  if (!flag || !backend.checkCompileCompletionAsync) return null;
  const started = performance.now();
  // Made before compile-only mode: an input made in it would hold no values.
  const x = tf.zeros(shape) as tf.Tensor4D;
  let y: tf.Tensor | null = null;
  tf.env().set(flag, true);
  try {
    y = unet.predict(x, 1);
  } finally {
    tf.env().set(flag, false);
  }
  try {
    await backend.checkCompileCompletionAsync();
    backend.getUniformLocations?.();
  } finally {
    tf.dispose([x, y]);
  }
  return performance.now() - started;
}
