/**
 * In-browser half of the benchmark (bundled by scripts/bench-browser.ts, unminified, which the
 * threaded tfjs-wasm build needs outside the app's own fix): one network, one runtime, one
 * thread count per page load, because both runtimes fix their threads when they start.
 *   /?runtime=ort|tfjs&backend=wasm|webgpu|webgl|cpu&threads=N&model=blur&repeats=20
 * Sets window.benchResult = { medianMs, minMs, maxAbsDiff, threads, error }.
 * Training a restorer for a visitor's transform (src/core/own/trainer.ts), one recipe per load:
 *   /?runtime=train&backend=…&threads=N&recipe=tiny|small|large&repeats=10
 * Sets window.benchResult = TrainingResult.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { httpSource, loadModel } from '../../src/core/model/loader';
import '../../src/core/own/registerGradients';
import { OwnTrainer, TRAINING_RECIPES } from '../../src/core/own/trainer';
import { recipeFor, type RecipeName } from '../../src/core/own/trainingSession';
import { parseTransform } from '../../src/core/own/ownTransform';

interface Result { medianMs: number; minMs: number; maxAbsDiff: number; threads: number | null; error?: string }
interface TorchInfo { t: number; shape: [number, number, number, number] }
interface OrtTensor { data: Float32Array }
interface OrtModule {
  env: { wasm: { wasmPaths: string; numThreads: number } };
  Tensor: new (type: string, data: Float32Array | BigInt64Array, dims: number[]) => unknown;
  InferenceSession: { create(url: string, options: { executionProviders: string[] }): Promise<{ run(feeds: Record<string, unknown>): Promise<Record<string, OrtTensor>> }> };
}

const q = new URLSearchParams(location.search);
const runtime = q.get('runtime') ?? 'tfjs';
const backend = q.get('backend') ?? 'wasm';
const threads = Number(q.get('threads') ?? 1);
const modelId = q.get('model') ?? 'blur';
const repeats = Number(q.get('repeats') ?? 20);

async function floats(url: string): Promise<Float32Array> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}`);
  return new Float32Array(await r.arrayBuffer());
}

async function timeIt(run: () => Promise<Float32Array>): Promise<{ out: Float32Array; medianMs: number; minMs: number }> {
  let out = await run();
  for (let i = 0; i < 2; i++) out = await run();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    out = await run();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return { out, medianMs: times[Math.floor(times.length / 2)]!, minMs: times[0]! };
}

function nchwToNhwc(x: Float32Array, [n, c, h, w]: number[]): Float32Array {
  const y = new Float32Array(x.length);
  for (let b = 0; b < n!; b++) for (let k = 0; k < c!; k++) for (let i = 0; i < h!; i++) for (let j = 0; j < w!; j++) y[((b * h! + i) * w! + j) * c! + k] = x[((b * c! + k) * h! + i) * w! + j]!;
  return y;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** One recipe's training on one backend: a step is forward + backward + Adam + EMA on one batch of crops. */
export interface TrainingResult {
  msPerStep: number;
  parameters: number;
  /** The recipe's batch, crop and channels. */
  shape: string;
  /** Whether the page trains this recipe on this backend (trainingSession.ts, recipeFor). */
  pageChoice: boolean;
  threads: number | null;
  /** Of one profiled step's kernel time (tf.profile), the share of the forward convolutions and of the two gradient
   * convolutions (trainableConv.ts: dx, and dW as one 'valid' convolution); null where the backend times no kernels. */
  shares: { forwardConv: number; gradientInput: number; gradientFilter: number; kernelMs: number; others: [string, number][] } | null;
  error?: string;
}

/** The transform and pictures of scripts/bench.ts's training rows: a blur, then a darkening. */
const TRAINING_TRANSFORM = '20~gauss.l.4.4.0~darken.l.60';
const TRAINING_PICTURES = ['elephants', 'raindrops', 'cups', 'dandelion', 'sunflower', 'forest'];

async function picture(id: string): Promise<tf.Tensor3D> {
  const response = await fetch(`/samples/${id}.png`);
  if (!response.ok) throw new Error(`/samples/${id}.png: HTTP ${response.status}`);
  const bitmap = await createImageBitmap(await response.blob());
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const context = canvas.getContext('2d')!;
  context.drawImage(bitmap, 0, 0);
  const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
  return tf.tidy(() => tf.sub(tf.div(tf.slice(tf.tensor3d(Float32Array.from(rgba), [bitmap.height, bitmap.width, 4]), [0, 0, 0], [bitmap.height, bitmap.width, 3]), 127.5), 1) as tf.Tensor3D);
}

async function startBackend(): Promise<void> {
  if (backend === 'wasm') {
    // tfjs-wasm keeps half the cores it is told of (docs/design.md, "Threads").
    Object.defineProperty(navigator, 'hardwareConcurrency', { value: 2 * threads });
    setWasmPaths('/tfjs-wasm/');
    if (threads === 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    else setThreadsCount(threads);
  }
  if (backend === 'webgpu') tf.env().set('WEBGPU_MATMUL_PROGRAM_TYPE', 2);
  if (!(await tf.setBackend(backend))) throw new Error(`tfjs backend ${backend} did not start`);
  await tf.ready();
}

async function training(): Promise<TrainingResult> {
  await startBackend();
  const recipe = TRAINING_RECIPES[(q.get('recipe') ?? 'small') as RecipeName];
  if (!recipe) throw new Error(`no recipe ${q.get('recipe')}`);
  const pictures = await Promise.all(TRAINING_PICTURES.map(picture));
  const trainer = new OwnTrainer(parseTransform(TRAINING_TRANSFORM).transform, pictures, recipe);
  // The first step builds the GPU programs and XNNPACK's operators: not a step's cost.
  await trainer.stepAsync();
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = performance.now();
    await trainer.stepAsync();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  let shares: TrainingResult['shares'] = null;
  const profile = await tf.profile(() => trainer.stepAsync());
  // tf.profile has awaited each kernel's time: a number, or an error where the backend cannot time kernels.
  const ms = (k: { kernelTimeMs: unknown }) => (typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : NaN);
  // Only the backend's own kernels count. A custom gradient's forward (trainableConv.ts, and tf.fused.conv2d's own)
  // is also recorded as one entry of its own, named for its scope, beside the kernels inside it: timed around them on
  // WASM, CPU and WebGL, not at all on WebGPU. Entries come in run order, each such entry after its kernels, so every
  // convolution before the last of them is the forward's (recording gradients, tfjs runs a ReLU convolution unfused,
  // as Conv2D + Add + Relu), and every one after it a gradient's.
  type Kernel = (typeof profile.kernels)[number];
  const backendName = tf.getBackend();
  const isKernel = (k: Kernel) => tf.getKernel(k.name, backendName) !== undefined;
  let lastForward = -1;
  profile.kernels.forEach((k, i) => {
    if (!isKernel(k)) lastForward = i;
  });
  const kernels = profile.kernels.map((k, i) => ({ k, forward: i < lastForward })).filter(({ k }) => isKernel(k));
  const total = kernels.reduce((a, { k }) => a + ms(k), 0);
  if (Number.isFinite(total) && total > 0 && lastForward >= 0) {
    const sum = (keep: (k: Kernel, forward: boolean) => boolean) => kernels.filter(({ k, forward }) => keep(k, forward)).reduce((a, { k }) => a + ms(k), 0) / total;
    const isConvolution = (k: Kernel) => k.name === 'Conv2D' || k.name === 'FusedConv2D';
    // dW is the 'valid' convolution whose filter is dy: spatially larger than its output, the 3×3 weight's gradient.
    const isFilterGradient = (k: Kernel) => (k.inputShapes[1]?.[0] ?? 0) > (k.outputShapes[0]?.[1] ?? Infinity);
    const others = new Map<string, number>();
    for (const { k } of kernels) if (!isConvolution(k)) others.set(k.name, (others.get(k.name) ?? 0) + ms(k) / total);
    shares = {
      forwardConv: sum((k, forward) => forward && isConvolution(k)),
      gradientInput: sum((k, forward) => !forward && isConvolution(k) && !isFilterGradient(k)),
      gradientFilter: sum((k, forward) => !forward && isConvolution(k) && isFilterGradient(k)),
      kernelMs: total,
      // What else a step spends its kernel time on, the largest first.
      others: [...others].sort((a, b) => b[1] - a[1]).slice(0, 4),
    };
  }
  const pageChoice = recipeFor(backend, q.get('software') === '1').recipe === q.get('recipe');
  // Software GPUs take one or two timed steps: their mean; otherwise the median.
  const msPerStep = times.length < 3 ? times.reduce((a, v) => a + v, 0) / times.length : times[Math.floor(times.length / 2)]!;
  const result = { msPerStep, parameters: trainer.parameterCount, pageChoice, shape: `${recipe.batch} of ${recipe.crop}×${recipe.crop}, channels ${recipe.channels.join('-')}`, threads: backend === 'wasm' ? getThreadsCount() : null, shares };
  trainer.dispose();
  tf.dispose(pictures);
  return result;
}

async function main(): Promise<Result> {
  const info = (await (await fetch(`/bench/${modelId}/torch.json`)).json()) as TorchInfo;
  const input = await floats(`/bench/${modelId}/input.bin`);
  const expected = await floats(`/bench/${modelId}/output-torch.bin`);
  const [n, c, h, w] = info.shape;
  if (runtime === 'ort') {
    const ortUrl = backend === 'webgpu' ? '/ort/ort.webgpu.min.mjs' : '/ort/ort.wasm.min.mjs';
    const ort = (await import(/* @vite-ignore */ ortUrl)) as OrtModule;
    ort.env.wasm.wasmPaths = '/ort/';
    ort.env.wasm.numThreads = threads;
    const session = await ort.InferenceSession.create(`/bench/${modelId}/model.onnx`, { executionProviders: [backend] });
    const feeds = { x: new ort.Tensor('float32', input, info.shape), t: new ort.Tensor('int64', BigInt64Array.from([BigInt(info.t), BigInt(info.t)]), [n]) };
    const r = await timeIt(async () => (await session.run(feeds)).x0!.data);
    return { medianMs: r.medianMs, minMs: r.minMs, maxAbsDiff: maxAbsDiff(r.out, expected), threads: backend === 'wasm' ? threads : null };
  }
  await startBackend();
  const { unet } = await loadModel(httpSource(`/models/${modelId}/`));
  const x = tf.tensor4d(nchwToNhwc(input, info.shape), [n, h, w, c]);
  const r = await timeIt(async () => {
    const y = unet.predict(x, info.t);
    const data = (await y.data()) as Float32Array;
    y.dispose();
    return data;
  });
  return { medianMs: r.medianMs, minMs: r.minMs, maxAbsDiff: maxAbsDiff(r.out, nchwToNhwc(expected, info.shape)), threads: backend === 'wasm' ? getThreadsCount() : null };
}

(runtime === 'train' ? training() : main()).then(
  (r) => ((window as unknown as { benchResult: Result | TrainingResult }).benchResult = r),
  (e: Error) => ((window as unknown as { benchResult: Result }).benchResult = { medianMs: NaN, minMs: NaN, maxAbsDiff: NaN, threads: null, error: String(e?.message ?? e) }),
);
