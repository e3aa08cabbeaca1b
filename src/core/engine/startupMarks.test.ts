import { describe, expect, it } from 'vitest';
import type { EngineEvent } from './events';
import { StartupMarks, startupPhases } from './startupMarks';

const frame = (index: number) => ({ type: 'frame', runId: 1, frame: { index }, msPerStep: null }) as unknown as EngineEvent;

describe('the start, phase by phase', () => {
  it('marks the start from the engine’s events and reports once, at the first step', () => {
    const marks = new StartupMarks();
    expect(marks.observe({ type: 'backend', name: 'wasm', probes: [], fallbackFrom: [], reason: null, note: null })).toBeNull();
    expect(marks.observe(frame(0))).toBeNull();
    expect(marks.observe({ type: 'modelProgress', fraction: 0, loadedBytes: 0, totalBytes: 10 })).toBeNull();
    expect(marks.observe({ type: 'modelProgress', fraction: 1, loadedBytes: 10, totalBytes: 10 })).toBeNull();
    expect(marks.observe({ type: 'modelReady', parameters: 1, bytes: 10, degradation: 'blur', warmUpMs: null })).toBeNull();
    const times = marks.observe(frame(1))!;
    expect(Object.keys(times).sort()).toEqual(['backendReady', 'firstStep', 'inputShown', 'modelDownloaded', 'modelReady', 'modelRequested', 'workerStarted']);
    const order = ['workerStarted', 'backendReady', 'inputShown', 'modelRequested', 'modelDownloaded', 'modelReady', 'firstStep'] as const;
    const values = order.map((k) => times[k]!);
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(marks.observe(frame(2))).toBeNull();
  });

  it('takes a mark the events do not show (WASM’s free cores measured), once, and none after the first step', () => {
    const marks = new StartupMarks();
    marks.mark('coresMeasured');
    const first = marks.observe({ type: 'backend', name: 'wasm', probes: [], fallbackFrom: [], reason: null, note: null });
    expect(first).toBeNull();
    marks.mark('coresMeasured');
    const times = marks.observe(frame(1))!;
    expect(times.coresMeasured).toBeLessThanOrEqual(times.backendReady!);
    expect(times.workerStarted).toBeLessThanOrEqual(times.coresMeasured!);
    expect(startupPhases(times, times.workerStarted! - 10).map((p) => p.phase)).toEqual(["the worker's code", 'free cores measured', 'backend start', 'first step']);
  });

  it('takes the first step as shown when another thread sent its frame (the pictures’ worker), once', () => {
    const marks = new StartupMarks();
    marks.observe({ type: 'backend', name: 'wasm', reason: null, probes: [], note: null } as unknown as EngineEvent);
    const sentAt = performance.timeOrigin + performance.now() + 5;
    const times = marks.firstStepShown(sentAt)!;
    expect(times.firstStep).toBe(sentAt);
    expect(times.backendReady).toBeLessThanOrEqual(sentAt);
    expect(marks.firstStepShown(sentAt + 100)).toBeNull();
    expect(marks.observe(frame(2))).toBeNull();
  });

  it('turns marks into phases from the page’s start, skipping marks that did not happen (a cached model has no download)', () => {
    const phases = startupPhases({ workerCreated: 1060, workerStarted: 1100, backendReady: 1400, modelReady: 1500, inputShown: 1450, firstStep: 1700 }, 1000);
    expect(phases).toEqual([
      { phase: "the page's code", ms: 60 },
      { phase: "the worker's code", ms: 40 },
      { phase: 'backend start', ms: 300 },
      { phase: 'degraded input', ms: 50 },
      { phase: 'model checked and on the backend', ms: 50 },
      { phase: 'first step', ms: 200 },
    ]);
  });
});
