import { describe, expect, it } from 'vitest';
import { backendOrder, probeWebGl, probeWebGpu, type BackendProbe } from './backend';

const probe = (name: BackendProbe['name'], available: boolean, software = false): BackendProbe => ({ name, available, software, detail: '' });

describe('backendOrder', () => {
  const hw = [probe('webgpu', true), probe('webgl', true), probe('wasm', true), probe('cpu', true)];
  const swiftshader = [probe('webgpu', true, true), probe('webgl', true, true), probe('wasm', true), probe('cpu', true)];

  it('auto: WebGPU, then WebGL, WASM, CPU on real GPUs', () => {
    expect(backendOrder(hw, 'auto')).toEqual(['webgpu', 'webgl', 'wasm', 'cpu']);
  });

  it('auto: prefers WASM when the GPU adapters are software fallbacks', () => {
    expect(backendOrder(swiftshader, 'auto')).toEqual(['wasm', 'cpu', 'webgl', 'webgpu']);
  });

  it('an explicit choice goes first, even a software one, with the rest as fallbacks', () => {
    expect(backendOrder(swiftshader, 'webgpu')).toEqual(['webgpu', 'wasm', 'cpu', 'webgl']);
    expect(backendOrder(hw, 'cpu')).toEqual(['cpu', 'webgpu', 'webgl', 'wasm']);
  });

  it('leaves out what is unavailable, even when chosen', () => {
    const noGpu = [probe('webgpu', false), probe('webgl', false), probe('wasm', true), probe('cpu', true)];
    expect(backendOrder(noGpu, 'webgpu')).toEqual(['wasm', 'cpu']);
  });
});

describe('probes', () => {
  it('WebGPU: a fallback adapter is software', async () => {
    const gpu = { requestAdapter: async () => ({ info: { vendor: 'google', architecture: 'swiftshader', isFallbackAdapter: true } }) };
    expect(await probeWebGpu(gpu)).toMatchObject({ available: true, software: true });
  });

  it('WebGPU: missing API or adapter is unavailable', async () => {
    expect((await probeWebGpu(undefined)).available).toBe(false);
    expect((await probeWebGpu({ requestAdapter: async () => null })).available).toBe(false);
  });

  it('WebGPU: a hardware adapter is not software', async () => {
    const gpu = { requestAdapter: async () => ({ info: { vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false } }) };
    expect(await probeWebGpu(gpu)).toMatchObject({ available: true, software: false, detail: 'nvidia hopper' });
  });

  it('WebGL: recognises SwiftShader from the renderer string', () => {
    const gl = { getExtension: () => ({}), getParameter: () => 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero)), SwiftShader driver)' };
    expect(probeWebGl(() => ({ getContext: () => gl }))).toMatchObject({ available: true, software: true });
    expect(probeWebGl(() => null).available).toBe(false);
  });
});
