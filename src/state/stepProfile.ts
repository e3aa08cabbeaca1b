import type { StepProfile } from '../core/engine/events';

const PHASE_WORDS: Record<keyof StepProfile, string> = {
  network: 'network',
  operators: 'the transform and updates',
  paths: 'true and direct paths',
  readBack: 'read-back',
  pixels: 'pixels and metrics',
  handOff: 'hand-off to the page',
};

/** Each phase's median over a run's steps (ms), the first step left out while others exist (it warms the backend); null before any. */
export function medianProfile(profiles: readonly StepProfile[]): StepProfile | null {
  const kept = profiles.length > 1 ? profiles.slice(1) : profiles;
  if (kept.length === 0) return null;
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  const phases = Object.keys(PHASE_WORDS) as (keyof StepProfile)[];
  return Object.fromEntries(phases.map((k) => [k, median(kept.map((p) => p[k]))])) as unknown as StepProfile;
}

/** "a step: network 140 ms (91 %), …" for the status line's tooltip. */
export function describeProfile(profile: StepProfile): string {
  const total = Object.values(profile).reduce((a, b) => a + b, 0);
  const parts = (Object.keys(PHASE_WORDS) as (keyof StepProfile)[]).map((k) => `${PHASE_WORDS[k]} ${profile[k].toFixed(profile[k] < 10 ? 1 : 0)} ms${total > 0 ? ` (${Math.round((100 * profile[k]) / total)} %)` : ''}`);
  return `where a step's time goes (median): ${parts.join(', ')}`;
}

/** "the first step showed 0.9 s after the page opened: page to worker 120 ms, …" for the status line's tooltip. */
export function describeStartup(phases: readonly { phase: string; ms: number }[]): string {
  const total = phases.reduce((a, p) => a + p.ms, 0);
  return `the first step showed ${(total / 1000).toFixed(1)} s after the page opened: ${phases.map((p) => `${p.phase} ${Math.round(p.ms)} ms`).join(', ')}`;
}
