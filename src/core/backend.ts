/**
 * Which tfjs backend runs the model. One ordered list, built from feature detection;
 * one function turns the visitor's choice into the order to try.
 *
 * Software GPU adapters (SwiftShader, llvmpipe) are real but slow: measured 20-60× slower
 * than WASM on a CPU-only machine (docs/design.md), so they rank after WASM and CPU.
 */
export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];
export type BackendChoice = 'auto' | BackendName;
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', ...BACKENDS];

export const BACKEND_LABELS: Readonly<Record<BackendName, string>> = Object.freeze({
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU (JavaScript)',
});

export interface BackendProbe {
  name: BackendName;
  available: boolean;
  /** A software implementation of a GPU API. */
  software: boolean;
  /** What was found, for the badge's tooltip: adapter or renderer name, or why not available. */
  detail: string;
}

export function isBackendChoice(value: string): value is BackendChoice {
  return (BACKEND_CHOICES as readonly string[]).includes(value);
}

/** The order in which to try backends for a choice. Unavailable ones are left out. */
export function backendOrder(probes: readonly BackendProbe[], choice: BackendChoice): BackendName[] {
  const byName = new Map(probes.map((p) => [p.name, p]));
  const usable = (n: BackendName) => byName.get(n)?.available ?? (n === 'cpu');
  const hardware = (['webgpu', 'webgl'] as const).filter((n) => usable(n) && !byName.get(n)?.software);
  const software = (['webgl', 'webgpu'] as const).filter((n) => usable(n) && byName.get(n)?.software);
  const auto: BackendName[] = [...hardware, ...(['wasm', 'cpu'] as const).filter(usable), ...software];
  if (choice === 'auto') return auto;
  return usable(choice) ? [choice, ...auto.filter((n) => n !== choice)] : auto;
}

// Minimal shapes of the WebGPU API we read, to stay strict without DOM WebGPU typings.
interface GpuAdapterInfo {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}
interface GpuAdapter {
  info?: GpuAdapterInfo;
  isFallbackAdapter?: boolean;
  requestAdapterInfo?: () => Promise<GpuAdapterInfo>;
}
interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<GpuAdapter | null>;
}

const SOFTWARE_RENDERERS = /swiftshader|llvmpipe|softpipe|software|basic render|microsoft basic/i;

export async function probeWebGpu(gpu: GpuLike | undefined = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu): Promise<BackendProbe> {
  if (!gpu) return { name: 'webgpu', available: false, software: false, detail: 'navigator.gpu is not available' };
  try {
    const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { name: 'webgpu', available: false, software: false, detail: 'no WebGPU adapter' };
    const info = adapter.info ?? (await adapter.requestAdapterInfo?.()) ?? {};
    const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
    const software = Boolean(info.isFallbackAdapter ?? adapter.isFallbackAdapter) || SOFTWARE_RENDERERS.test(name);
    return { name: 'webgpu', available: true, software, detail: name };
  } catch (e) {
    return { name: 'webgpu', available: false, software: false, detail: `adapter request failed: ${(e as Error).message}` };
  }
}

interface GlContextLike {
  getExtension(name: string): unknown;
  getParameter(p: number): unknown;
}
interface CanvasFactory {
  (): { getContext(kind: 'webgl2'): GlContextLike | null } | null;
}

const UNMASKED_RENDERER_WEBGL = 0x9246;
const RENDERER = 0x1f01;

export function probeWebGl(makeCanvas: CanvasFactory = defaultCanvas): BackendProbe {
  const gl = makeCanvas()?.getContext('webgl2') ?? null;
  if (!gl) return { name: 'webgl', available: false, software: false, detail: 'WebGL2 is not available' };
  const debug = gl.getExtension('WEBGL_debug_renderer_info');
  const renderer = String(gl.getParameter(debug ? UNMASKED_RENDERER_WEBGL : RENDERER) ?? 'unknown renderer');
  return { name: 'webgl', available: true, software: SOFTWARE_RENDERERS.test(renderer), detail: renderer };
}

function defaultCanvas(): { getContext(kind: 'webgl2'): GlContextLike | null } | null {
  const Offscreen = (globalThis as { OffscreenCanvas?: new (w: number, h: number) => { getContext(kind: 'webgl2'): GlContextLike | null } }).OffscreenCanvas;
  return Offscreen ? new Offscreen(1, 1) : null;
}

export function probeWasm(): BackendProbe {
  const ok = typeof WebAssembly === 'object';
  return { name: 'wasm', available: ok, software: false, detail: ok ? 'WebAssembly' : 'WebAssembly is not available' };
}

export async function probeBackends(): Promise<BackendProbe[]> {
  // The adapter request runs while the WebGL context is made.
  const webGpu = probeWebGpu();
  const webGl = probeWebGl();
  return [await webGpu, webGl, probeWasm(), { name: 'cpu', available: true, software: false, detail: 'plain JavaScript' }];
}
