import { useAppStore, useViewSettings } from '../state/store';
import { useShown } from './Controls';
import { MAX_FPS, MIN_FPS } from '../state/viewState';
import { stepSchedule } from '../core/stepSchedule';
import { describeProfile, describeStartup, medianProfile } from '../state/stepProfile';
import { useMemo } from 'react';

/**
 * Play, pause and scrub through the run's frames. Every computed frame is kept, so moving
 * back and forth only changes what is shown; frames not computed yet show "computing…".
 */
export function Timeline() {
  const { t, steps, fps } = useViewSettings();
  const frame = useAppStore((s) => s.view.frame);
  // Frame i shows the chains at level s_i of the schedule (every level: s_i = t − i).
  const level = stepSchedule(t, steps)[frame] ?? 0;
  // Following the computation moves the frames too: Pause takes the timeline over.
  const moving = useAppStore((s) => s.playing || s.following);
  const computed = useAppStore((s) => s.frames.filter(Boolean).length);
  const runDone = useAppStore((s) => s.runDone);
  const msPerStep = useAppStore((s) => s.msPerStep);
  const memory = useAppStore((s) => s.workerMemory);
  const stepProfiles = useAppStore((s) => s.stepProfiles);
  const startup = useAppStore((s) => s.startup);
  const profile = useMemo(() => medianProfile(stepProfiles), [stepProfiles]);
  // The first step also builds whatever GPU programs were not built ahead (gpuWarmUp.ts): the bench compares.
  const firstStepMs = stepProfiles[0] ? Object.values(stepProfiles[0]).reduce((a, b) => a + b, 0) : null;
  const buffering = useAppStore((s) => s.buffering);
  const playbackStalls = useAppStore((s) => s.playbackStalls);
  const showSpeed = useShown('speed');
  const { play, pause, stepForward, stepBack, seek, reset, setView } = useAppStore.getState();
  const canStep = frame < steps && computed > frame + 1;
  return (
    <div className="playback" role="group" aria-label="Timeline">
      {moving ? (
        <button type="button" onClick={pause} data-testid="pause" title="Pause (space)">
          ❚❚ Pause
        </button>
      ) : (
        <button type="button" className="primary" onClick={play} data-testid="play" title="Play (space); from the end it starts over">
          ▶ Play
        </button>
      )}
      <button type="button" onClick={stepBack} disabled={frame === 0} data-testid="step-back" title="One frame back (←)" aria-label="One frame back">
        ◂
      </button>
      <button type="button" onClick={stepForward} disabled={!canStep} data-testid="step" title="One frame forward (→)" aria-label="One frame forward">
        ▸
      </button>
      <button type="button" onClick={reset} disabled={frame === 0} data-testid="reset" title="Back to the start (Home or R)">
        ⟲ Reset
      </button>
      <input
        className="scrubber"
        type="range"
        min={0}
        max={steps}
        step={1}
        value={frame}
        onChange={(e) => seek(Number(e.target.value))}
        data-testid="scrubber"
        aria-label="frame shown"
        aria-valuetext={`frame ${frame} of ${steps}, at step ${level}`}
        style={{ ['--computed' as string]: `${(100 * Math.max(0, computed - 1)) / Math.max(1, steps)}%` }}
      />
      {buffering && (
        <span className="buffering" data-testid="buffering" role="status">
          buffering{buffering.seconds !== null ? `: playback starts in about ${Math.max(1, Math.ceil(buffering.seconds))} s` : '…'}
        </span>
      )}
      <span className="frame-counter" data-testid="frame-counter" data-frame={frame} data-stalls={playbackStalls.total} data-stalls-slow-steps={playbackStalls.slowSteps}>
        frame {frame} / {steps} · now at t = {level}
      </span>
      <span
        className="compute-status"
        data-testid="compute-status"
        data-tensors={memory?.numTensors}
        data-bytes={memory?.numBytes}
        data-step-profile={profile ? JSON.stringify(profile) : undefined}
        data-first-step-ms={firstStepMs ?? undefined}
        data-startup={startup ? JSON.stringify(startup) : undefined}
        title={[memory && `the sampler holds ${memory.numTensors} tensors, ${(memory.numBytes / 1024 / 1024).toFixed(1)} MB between runs`, profile && describeProfile(profile), startup && describeStartup(startup)].filter(Boolean).join('; ') || undefined}
      >
        {runDone ? 'all steps computed' : `computed ${Math.max(0, computed - 1)} / ${steps} steps`}
        {msPerStep !== null && ` · ${Math.round(msPerStep)} ms/step`}
      </span>
      {showSpeed && (
        <label className="speed">
          speed
          <input type="range" min={MIN_FPS} max={MAX_FPS} value={fps} onChange={(e) => setView({ fps: Number(e.target.value) })} aria-label="frames per second" />
          {fps} fps
        </label>
      )}
    </div>
  );
}
