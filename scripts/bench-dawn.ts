/**
 * tfjs's WebGPU backend under Node, on Dawn (the npm package `webgpu`, which gives `navigator.gpu`): the
 * shipped blur network's forward (batch 2, 128×128, t = 20), its first call (the shaders built) and later
 * ones, checked against tfjs-wasm. Made for a machine with a GPU and no browser; on a CPU-only machine it
 * runs the same path on a software driver (docs/design.md, "WebGPU under Node"). Not a dependency of the
 * project (137 MB unpacked, prebuilt for every platform), so install it first:
 *   npm i --no-save webgpu@0.6.2 && npx tsx scripts/bench-dawn.ts [--repeats 5] [--dawn backend=opengl]
 *       [--feature-level compatibility]
 * Debian 12's lavapipe (Mesa 22.3) lacks what Dawn's Vulkan backend asks for; there, Dawn's OpenGL backend
 * in compatibility mode on the same Mesa works:
 *   EGL_PLATFORM=surfaceless npx tsx scripts/bench-dawn.ts --dawn backend=opengl --feature-level compatibility
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-wasm';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadModel } from '../src/core/model/loader';
import { directorySource } from '../src/core/model/nodeSource';

const { values } = parseArgs({
  options: { repeats: { type: 'string', default: '5' }, dawn: { type: 'string', default: '' }, 'feature-level': { type: 'string', default: '' } },
});

interface Adapter {
  info: { vendor: string; architecture: string; device: string; description: string; isFallbackAdapter?: boolean };
  limits: Record<string, unknown>;
  requestDevice(descriptor?: { requiredLimits?: Record<string, number> }): Promise<unknown>;
}
interface Gpu { requestAdapter(options?: { featureLevel?: string }): Promise<Adapter | null> }
interface Dawn { create(flags: string[]): Gpu; globals: Record<string, unknown> }

async function dawn(): Promise<Dawn | null> {
  const name = 'webgpu';
  try {
    return (await import(name)) as Dawn;
  } catch (e) {
    // Not installed: skipped. Installed but broken (its native binary did not load): said as it is.
    if ((e as { code?: string }).code === 'ERR_MODULE_NOT_FOUND') return null;
    throw e;
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function forwards(backend: string, x: tf.Tensor4D, repeats: number): Promise<{ out: Float32Array; firstMs: number; laterMs: number[] }> {
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs's ${backend} backend did not start`);
  await tf.ready();
  const { unet } = await loadModel(directorySource(join(import.meta.dirname, '..', 'public', 'models', 'blur')));
  const input = tf.clone(x);
  const timed = async () => {
    const t0 = performance.now();
    const y = unet.predict(input, 20);
    const out = (await y.data()) as Float32Array;
    y.dispose();
    return { out, ms: performance.now() - t0 };
  };
  const first = await timed();
  const laterMs: number[] = [];
  for (let i = 0; i < repeats; i++) laterMs.push((await timed()).ms);
  input.dispose();
  unet.dispose();
  return { out: first.out, firstMs: first.ms, laterMs };
}

const module = await dawn();
if (!module) {
  console.log('skipped: the npm package `webgpu` is not installed (npm i --no-save webgpu@0.6.2)');
  process.exit(0);
}
Object.assign(globalThis, module.globals);
const gpu = module.create(values.dawn ? values.dawn.split(' ') : []);
const featureLevel = values['feature-level'];
if (featureLevel) {
  // tfjs asks for neither a feature level nor the adapter's limits: Dawn's compatibility mode needs both.
  const requestAdapter = gpu.requestAdapter.bind(gpu);
  gpu.requestAdapter = async (options = {}) => {
    const adapter = await requestAdapter({ ...options, featureLevel });
    if (!adapter) return adapter;
    const requestDevice = adapter.requestDevice.bind(adapter);
    const limits: Record<string, number> = {};
    for (const k in adapter.limits) if (typeof adapter.limits[k] === 'number') limits[k] = adapter.limits[k];
    adapter.requestDevice = (descriptor = {}) => requestDevice({ ...descriptor, requiredLimits: { ...limits, ...descriptor.requiredLimits } });
    return adapter;
  };
}
// tfjs-backend-webgpu registers itself only where navigator.gpu exists when it loads.
Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
await import('@tensorflow/tfjs-backend-webgpu');
const adapter = await gpu.requestAdapter();
if (!adapter) {
  console.log('skipped: Dawn found no adapter (a GPU driver, or Mesa with --dawn backend=opengl --feature-level compatibility and EGL_PLATFORM=surfaceless)');
  process.exit(0);
}
const { vendor, architecture, device, description, isFallbackAdapter } = adapter.info;
console.log(`adapter: ${[vendor, architecture, device, description].filter(Boolean).join(' / ')}${isFallbackAdapter ? ' (a fallback, software adapter)' : ''}`);

const repeats = Number(values.repeats);
await tf.setBackend('wasm');
const x = tf.tidy(() => tf.sub(tf.mul(tf.randomUniform([2, 128, 128, 3], 0, 1, 'float32', 7), 2), 1) as tf.Tensor4D);
const reference = await forwards('wasm', x, Math.min(repeats, 3));
console.log(`wasm:   first forward ${reference.firstMs.toFixed(0)} ms, later ${median(reference.laterMs).toFixed(0)} ms (median of ${reference.laterMs.length})`);
const webgpu = await forwards('webgpu', x, repeats);
let diff = 0;
for (let i = 0; i < webgpu.out.length; i++) diff = Math.max(diff, Math.abs(webgpu.out[i]! - reference.out[i]!));
console.log(`webgpu: first forward ${webgpu.firstMs.toFixed(0)} ms (its shaders built), later ${median(webgpu.laterMs).toFixed(0)} ms (median of ${webgpu.laterMs.length}: ${webgpu.laterMs.map((v) => v.toFixed(0)).join(', ')}); max |webgpu − wasm| ${diff.toExponential(1)}${diff > 1e-3 ? ' — DISAGREES' : ''}`);
tf.engine().removeBackend('webgpu');
// dawn.node keeps the process alive while navigator.gpu holds it.
Reflect.deleteProperty(globalThis, 'navigator');
process.exitCode = diff > 1e-3 ? 1 : 0;
