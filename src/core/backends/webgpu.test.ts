import { describe, expect, it } from 'vitest';
import { webgpuPolicy, type DeviceLostInfo } from './webgpu';

describe('the WebGPU policy', () => {
  it('sets the matmul program type before the backend starts', () => {
    const flags = new Map<string, boolean | number>();
    webgpuPolicy({ setFlag: (name, value) => flags.set(name, value), webgpuDeviceLost: () => null }).prepare!();
    expect(flags.get('WEBGPU_MATMUL_PROGRAM_TYPE')).toBe(2);
  });

  it('calls back once the device says it is lost, with its message or else its reason', async () => {
    const lost = (info: DeviceLostInfo) => {
      const reasons: string[] = [];
      webgpuPolicy({ setFlag: () => {}, webgpuDeviceLost: () => Promise.resolve(info) }).watchForLoss!((why) => reasons.push(why));
      return reasons;
    };
    const withMessage = lost({ message: 'driver reset', reason: 'unknown' });
    const withoutMessage = lost({ message: '', reason: 'destroyed' });
    await Promise.resolve();
    expect(withMessage).toEqual(['the WebGPU device was lost: driver reset']);
    expect(withoutMessage).toEqual(['the WebGPU device was lost: destroyed']);
  });

  it('watches nothing when another backend runs', () => {
    expect(() => webgpuPolicy({ setFlag: () => {}, webgpuDeviceLost: () => null }).watchForLoss!(() => {})).not.toThrow();
  });
});
