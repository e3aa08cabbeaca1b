import { beforeAll, describe, expect, it } from 'vitest';
import { useCpuBackend } from '../testing/fixtures';
import { BackendStopped, StepWatchdog } from './watchdog';

beforeAll(useCpuBackend);

const never = new Promise<never>(() => {});

describe('the step watchdog', () => {
  it('passes a step’s result through and remembers how long it took', async () => {
    const seen: number[][] = [];
    const watchdog = new StepWatchdog((_index, times) => (seen.push([...times]), 1000));
    await expect(watchdog.answered(Promise.resolve('values'), 1, performance.now())).resolves.toBe('values');
    await watchdog.answered(Promise.resolve('values'), 2, performance.now());
    expect(seen[0]).toEqual([]);
    expect(seen[1]).toHaveLength(1);
    watchdog.reset();
    await watchdog.answered(Promise.resolve('values'), 3, performance.now());
    expect(seen[2]).toEqual([]);
  });

  it('fails a step that gets no answer in time', async () => {
    const watchdog = new StepWatchdog(() => 20);
    await expect(watchdog.answered(never, 1, performance.now())).rejects.toThrow(new BackendStopped('CPU (JavaScript) stopped answering (no result for 0 s)'));
  });

  it('fails the waiting step at once when the running backend reports its loss, not another', async () => {
    const watchdog = new StepWatchdog(() => 60_000);
    const step = watchdog.answered(never, 1, performance.now());
    watchdog.backendLost('webgl', 'its WebGL context was lost');
    watchdog.backendLost('cpu', 'it was lost');
    await expect(step).rejects.toThrow('CPU (JavaScript) stopped answering (it was lost)');
  });
});
