import type { StepProfile } from '../core/engine/events';

/** The phases on a step's path, which add up to it. */
const PHASE_WORDS: Record<Exclude<keyof StepProfile, 'aside'>, string> = {
  network: 'network',
  operators: 'the transform and updates',
  paths: 'true and direct paths',
  readBack: 'read-back',
  pixels: 'pixels and metrics',
  handOff: 'hand-off to the page',
};
const ALL_PHASES = [...(Object.keys(PHASE_WORDS) as (keyof typeof PHASE_WORDS)[]), 'aside'] as const;

/** Each phase's median over a run's steps (ms), the first step left out while others exist (it warms the backend); null before any. */
export function medianProfile(profiles: readonly StepProfile[]): StepProfile | null {
  const kept = profiles.length > 1 ? profiles.slice(1) : profiles;
  if (kept.length === 0) return null;
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  };
  return Object.fromEntries(ALL_PHASES.map((k) => [k, median(kept.map((p) => p[k] ?? 0))])) as unknown as StepProfile;
}

/** "a step: network 140 ms (91 %), …" for the status line's tooltip. */
export function describeProfile(profile: StepProfile): string {
  const phases = Object.keys(PHASE_WORDS) as (keyof typeof PHASE_WORDS)[];
  const total = phases.reduce((a, k) => a + profile[k], 0);
  const ms = (v: number) => `${v.toFixed(v < 10 ? 1 : 0)} ms`;
  const parts = phases.map((k) => `${PHASE_WORDS[k]} ${ms(profile[k])}${total > 0 ? ` (${Math.round((100 * profile[k]) / total)} %)` : ''}`);
  const aside = profile.aside > 0 ? `; pixels and metrics in a second worker while the next step runs, ${ms(profile.aside)}` : '';
  return `where a step's time goes (median): ${parts.join(', ')}${aside}`;
}

/** "the first step showed 0.9 s after the page opened: page to worker 120 ms, …" for the status line's tooltip. */
export function describeStartup(phases: readonly { phase: string; ms: number }[]): string {
  const total = phases.reduce((a, p) => a + p.ms, 0);
  return `the first step showed ${(total / 1000).toFixed(1)} s after the page opened: ${phases.map((p) => `${p.phase} ${Math.round(p.ms)} ms`).join(', ')}`;
}
