import type { BackendPolicy, SetFlag } from './policy';

/** GPUDeviceLostInfo, without the DOM's WebGPU typings. */
export interface DeviceLostInfo {
  message: string;
  reason: string;
}

export interface WebGpuEnvironment {
  setFlag: SetFlag;
  /** The running WebGPU backend's `device.lost`; null while another backend runs. */
  webgpuDeviceLost(): Promise<DeviceLostInfo> | null;
}

export function webgpuPolicy(env: WebGpuEnvironment): BackendPolicy {
  return {
    prepare: () => env.setFlag('WEBGPU_MATMUL_PROGRAM_TYPE', 2), // tiny time-embedding matmuls: 10× faster (docs/design.md)
    watchForLoss: (onLost) => {
      void env.webgpuDeviceLost()?.then((info) => onLost(`the WebGPU device was lost: ${info.message || info.reason}`));
    },
  };
}
