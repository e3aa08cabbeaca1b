/**
 * In-browser half of the benchmark (bundled by scripts/bench-browser.ts, unminified, which the
 * threaded tfjs-wasm build needs outside the app's own fix): one network, one runtime, one
 * thread count per page load, because both runtimes fix their threads when they start.
 *   /?runtime=ort|tfjs&backend=wasm|webgpu|webgl|cpu&threads=N&model=blur&repeats=20
 * Sets window.benchResult = { medianMs, minMs, maxAbsDiff, threads, error }.
 */
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import '@tensorflow/tfjs-backend-webgl';
import '@tensorflow/tfjs-backend-webgpu';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { httpSource, loadModel } from '../../src/core/model/loader';

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

main().then(
  (r) => ((window as unknown as { benchResult: Result }).benchResult = r),
  (e: Error) => ((window as unknown as { benchResult: Result }).benchResult = { medianMs: NaN, minMs: NaN, maxAbsDiff: NaN, threads: null, error: String(e?.message ?? e) }),
);
