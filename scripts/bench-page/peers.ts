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
  const bitmap = await createImageBitmap(await (await fetch(`/samples/${id}.png`)).blob());
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
  // The profiler sees a custom gradient's forward (trainableConv.ts's convolution) as one kernel named for its scope,
  // without the kernels inside; an op's scope (name__op) is listed besides its kernels. So: the backend's kernels and
  // the custom forwards, not the op scopes.
  type Kernel = (typeof profile.kernels)[number];
  const isCustomForward = (k: Kernel) => tf.getKernel(k.name, tf.getBackend()) === undefined && !k.name.endsWith('__op');
  const kernels = profile.kernels.filter((k) => tf.getKernel(k.name, tf.getBackend()) !== undefined || isCustomForward(k));
  const total = kernels.reduce((a, k) => a + ms(k), 0);
  if (Number.isFinite(total) && total > 0) {
    const sum = (keep: (k: Kernel) => boolean) => kernels.filter(keep).reduce((a, k) => a + ms(k), 0) / total;
    // dW is the convolution whose filter is dy itself: spatially larger than any 3×3 weight.
    const isFilterGradient = (k: Kernel) => (k.inputShapes[1]?.[0] ?? 0) > 3;
    const isConvolution = (k: Kernel) => /Conv2D$/.test(k.name) || (isCustomForward(k) && k.inputShapes[1]?.length === 4);
    shares = {
      forwardConv: sum((k) => k.name === 'FusedConv2D' || (isCustomForward(k) && isConvolution(k))),
      gradientInput: sum((k) => k.name === 'Conv2D' && !isFilterGradient(k)),
      gradientFilter: sum((k) => k.name === 'Conv2D' && isFilterGradient(k)),
      kernelMs: total,
      // What else a step spends its kernel time on, the largest first.
      others: [...Map.groupBy(kernels.filter((k) => !isConvolution(k)), (k) => k.name)].map(([name, ks]): [string, number] => [name, ks.reduce((a, k) => a + ms(k), 0) / total]).sort((a, b) => b[1] - a[1]).slice(0, 4),
    };
  }
  const pageChoice = recipeFor(backend, q.get('software') === '1').recipe === q.get('recipe');
  const result = { msPerStep: times[Math.floor(times.length / 2)]!, parameters: trainer.parameterCount, pageChoice, shape: `${recipe.batch} of ${recipe.crop}×${recipe.crop}, channels ${recipe.channels.join('-')}`, threads: backend === 'wasm' ? getThreadsCount() : null, shares };
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
