import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from '../core/backend';
import { DEGRADATION_IDS, degradationInfo, GENERATION, isDegradationId, type DegradationId } from '../core/degradations/catalog';
import { MAX_SEED } from '../core/degradations/rng';
import { isCheckpoint, isMode, isRestorerId, MODES, RESTORERS, type Mode, type RestorerId, type RunSettings } from '../core/engine/types';
import { SAMPLE_IDS } from '../samples';
import { imageParamProblem } from './imageLink';

export { MODES, type Mode } from '../core/engine/types';

/**
 * Everything a shared link reproduces. One typed field per control; the table below is
 * the only place that knows the link format (in the hash, so it never reaches a server).
 */

export interface ViewState {
  /** Restore a degraded image, or generate a new one from a flat colour. */
  mode: Mode;
  /** Bundled sample id: the image, unless imageData holds the visitor's own (and the fallback if it cannot be read). */
  image: string;
  /** The visitor's own image, put in the link by their choice (src/state/imageLink.ts); '' for none. */
  imageData: string;
  degradation: DegradationId;
  /** Start step of the samplers: how degraded the input is. */
  t: number;
  backend: BackendChoice;
  /** Sampler frame shown: 0 is the degraded input, t is the end. */
  frame: number;
  /** Playback speed, frames per second. */
  fps: number;
  /** Fixes the hole centre, the snow layer, the noise or the mixed-in picture of seeded degradations, and the generated sample. */
  seed: number;
  /** Who plays R: the trained network or the oracle (restore mode only: generating has no original). */
  restorer: RestorerId;
  /** The predict → correct view: each step's parts and the two update rules. */
  explain: boolean;
  /** The live error chart. */
  chart: boolean;
  /** Presentation mode: panels and chart fill the screen, controls reduced to the timeline. */
  present: boolean;
  /** Controls left out of the page, for a prepared lesson (their settings still come from the link). */
  hide: HideableControl[];
}

/** What `hide=` can name (README, "Share and present"). */
export const HIDEABLE_CONTROLS = ['mode', 'image', 'degradation', 'step', 'seed', 'restorer', 'backend', 'explain', 'chart', 'share', 'export', 'speed', 'strip', 'learn'] as const;
export type HideableControl = (typeof HIDEABLE_CONTROLS)[number];
const isHideable = (v: string): v is HideableControl => (HIDEABLE_CONTROLS as readonly string[]).includes(v);

/**
 * The fields whose change starts a new run (the image aside, which has its own request).
 * The rest (frame, speed, views) only change what is shown; the backend restarts the engine.
 */
export const RUN_FIELDS = ['mode', 'degradation', 't', 'seed', 'restorer'] as const satisfies readonly (keyof ViewState & keyof RunSettings)[];
// Every RunSettings field is listed above (a compile error otherwise).
const runFieldsAreComplete: Exclude<keyof RunSettings, (typeof RUN_FIELDS)[number]> extends never ? true : never = true;
void runFieldsAreComplete;

export function runSettings(view: ViewState): RunSettings {
  return { mode: view.mode, degradation: view.degradation, t: view.t, seed: view.seed, restorer: view.restorer };
}

export const startsNewRun = (a: ViewState, b: ViewState): boolean => RUN_FIELDS.some((k) => a[k] !== b[k]);

/** Where a degradation starts when picked: half way, so both samplers have steps to show. */
export function startStep(degradation: DegradationId): number {
  return Math.floor(degradationInfo(degradation).T / 2);
}

export function defaultViewState(): ViewState {
  const degradation = DEGRADATION_IDS[0]!;
  return { mode: 'restore', image: SAMPLE_IDS[0]!, imageData: '', degradation, t: startStep(degradation), backend: 'auto', frame: 0, fps: 8, seed: 1, restorer: 'trained', explain: false, chart: true, present: false, hide: [] };
}

export const MIN_FPS = 1;
export const MAX_FPS = 30;

type Parsed<V> = { value: V } | { error: string };

interface Field<K extends keyof ViewState> {
  key: K;
  /** Name in the link. */
  param: string;
  /** Parses a link value; may read fields parsed before it (the table's order). */
  parse(raw: string, parsed: ViewState): Parsed<ViewState[K]>;
  /** Keeps an already-valid state consistent when an earlier field changes. */
  clamp?(value: ViewState[K], state: ViewState): ViewState[K];
}

function integer(raw: string): number | null {
  return /^-?\d+$/.test(raw) ? Number(raw) : null;
}

/** A switch in the link: 1 on, 0 off. */
function flag(what: string) {
  return (raw: string): Parsed<boolean> => (raw === '1' || raw === '0' ? { value: raw === '1' } : { error: `${what} "${shorten(raw)}" must be 1 (on) or 0 (off)` });
}

function oneOf<V extends string>(what: string, options: readonly V[], ok: (v: string) => v is V) {
  return (raw: string): Parsed<V> => (ok(raw) ? { value: raw } : { error: `unknown ${what} "${shorten(raw)}" (choose ${options.join(', ')})` });
}

function intIn(what: string, lo: (s: ViewState) => number, hi: (s: ViewState) => number) {
  return (raw: string, s: ViewState): Parsed<number> => {
    const n = integer(raw);
    if (n === null) return { error: `${what} "${shorten(raw)}" is not a whole number` };
    if (n < lo(s) || n > hi(s)) return { error: `${what} ${n} is outside ${lo(s)}..${hi(s)}` };
    return { value: n };
  };
}

/** Last step of the current mode: generation always starts from the flat colour at its T. */
const T = (s: ViewState) => (s.mode === 'generate' ? GENERATION.schedule.T : degradationInfo(s.degradation).T);
const firstStep = (s: ViewState) => (s.mode === 'generate' ? T(s) : 1);

/** Why a restorer cannot be used here, or null if it can: the oracle needs an original, a checkpoint must be shipped. */
export function restorerUnavailable(r: RestorerId, s: Pick<ViewState, 'mode' | 'degradation'>): string | null {
  if (r === 'trained') return null;
  if (s.mode === 'generate') return `the ${r} restorer needs an original image, which generating has not`;
  if (isCheckpoint(r) && !degradationInfo(s.degradation).checkpoints?.includes(r)) return `no ${r} checkpoint is shipped for ${s.degradation}`;
  return null;
}
export const restorerAllowed = (r: RestorerId, s: Pick<ViewState, 'mode' | 'degradation'>) => restorerUnavailable(r, s) === null;

const FIELDS: { [K in keyof ViewState]: Field<K> }[keyof ViewState][] = [
  { key: 'mode', param: 'mode', parse: oneOf('mode', MODES, isMode) },
  { key: 'image', param: 'img', parse: oneOf('sample image', SAMPLE_IDS, (v): v is string => SAMPLE_IDS.includes(v)) },
  {
    key: 'imageData',
    param: 'imgdata',
    parse: (raw) => {
      const problem = raw === '' ? null : imageParamProblem(raw);
      return problem ? { error: `the image in the link ${problem}, so the gallery image is shown` } : { value: raw };
    },
  },
  { key: 'degradation', param: 'deg', parse: oneOf('degradation', DEGRADATION_IDS, isDegradationId) },
  { key: 't', param: 't', parse: intIn('step t', firstStep, T), clamp: (v, s) => Math.min(Math.max(firstStep(s), v), T(s)) },
  { key: 'backend', param: 'backend', parse: oneOf('backend', BACKEND_CHOICES, isBackendChoice) },
  { key: 'frame', param: 'frame', parse: intIn('frame', () => 0, (s) => s.t), clamp: (v, s) => Math.min(Math.max(0, v), s.t) },
  { key: 'fps', param: 'fps', parse: intIn('speed (fps)', () => MIN_FPS, () => MAX_FPS), clamp: (v) => Math.min(Math.max(MIN_FPS, v), MAX_FPS) },
  { key: 'seed', param: 'seed', parse: intIn('seed', () => 0, () => MAX_SEED), clamp: (v) => Math.min(Math.max(0, Math.floor(v)), MAX_SEED) },
  {
    key: 'restorer',
    param: 'restorer',
    parse: (raw, s) => {
      const r = oneOf('restorer', RESTORERS, isRestorerId)(raw);
      const why = 'value' in r ? restorerUnavailable(r.value, s) : null;
      return why ? { error: why } : r;
    },
    clamp: (v, s) => (restorerAllowed(v, s) ? v : 'trained'),
  },
  { key: 'explain', param: 'explain', parse: flag('predict → correct view') },
  { key: 'chart', param: 'chart', parse: flag('error chart') },
  { key: 'present', param: 'present', parse: flag('presentation mode') },
  {
    key: 'hide',
    param: 'hide',
    parse: (raw) => {
      const names = raw.split(',').map((n) => n.trim()).filter(Boolean);
      const unknown = names.filter((n) => !isHideable(n));
      if (unknown.length > 0) return { error: `cannot hide "${shorten(unknown.join(','))}" (choose from ${HIDEABLE_CONTROLS.join(', ')})` };
      return { value: [...new Set(names as HideableControl[])] };
    },
  },
];

export interface LinkParseResult {
  state: ViewState;
  /** What was wrong with the link and what was used instead, for the visitor. */
  notices: string[];
}

/** Link values and keys are quoted in notices at most this long, and at most this many unknown keys are named. */
const MAX_QUOTED = 40;
const MAX_LISTED = 5;
const shorten = (v: string) => (v.length > MAX_QUOTED ? `${v.slice(0, MAX_QUOTED)}… (${v.length} characters)` : v);

/** Reads a link's hash ("#img=…&t=…"). Bad values fall back to defaults, each with a notice. */
export function parseLink(hash: string): LinkParseResult {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const defaults = defaultViewState();
  const state: ViewState = { ...defaults };
  const notices: string[] = [];
  const known = new Set(FIELDS.map((f) => f.param));
  for (const field of FIELDS) {
    const raw = params.get(field.param);
    if (raw === null) {
      setField(state, field.key, field.clamp ? clampAny(field, defaults[field.key], state) : defaults[field.key]);
      continue;
    }
    const parsed = (field.parse as (raw: string, s: ViewState) => Parsed<ViewState[typeof field.key]>)(raw, state);
    if ('value' in parsed) {
      setField(state, field.key, parsed.value);
    } else {
      const fallback = field.clamp ? clampAny(field, defaults[field.key], state) : defaults[field.key];
      setField(state, field.key, fallback);
      const used = String(fallback);
      notices.push(used === '' ? `Link: ${parsed.error}.` : `Link: ${parsed.error}; using ${used}.`);
    }
  }
  const unknown = [...new Set([...params.keys()].filter((k) => !known.has(k)))];
  if (unknown.length > 0) {
    const shown = unknown.slice(0, MAX_LISTED).map((k) => `"${shorten(k)}"`).join(', ');
    const more = unknown.length > MAX_LISTED ? ` and ${unknown.length - MAX_LISTED} more` : '';
    notices.push(unknown.length === 1 ? `Link: ignored unknown setting ${shown}.` : `Link: ignored ${unknown.length} unknown settings: ${shown}${more}.`);
  }
  for (const field of FIELDS) {
    const values = params.getAll(field.param);
    if (values.length > 1) notices.push(`Link: "${field.param}" is given ${values.length} times; the first (${shorten(values[0]!)}) was used.`);
  }
  return { state, notices };
}

function setField<K extends keyof ViewState>(state: ViewState, key: K, value: ViewState[K]): void {
  state[key] = value;
}

function clampAny<K extends keyof ViewState>(field: Field<K>, value: ViewState[K], state: ViewState): ViewState[K] {
  return field.clamp ? field.clamp(value, state) : value;
}

/**
 * Writes every field (defaults too), so a link means the same even if defaults change; empty
 * ones (no image data, nothing hidden) are left out, since "empty" is no default that could change.
 */
export function formatLink(state: ViewState): string {
  const params = new URLSearchParams();
  for (const field of FIELDS) {
    const value = state[field.key];
    if (value === '' || (Array.isArray(value) && value.length === 0)) continue;
    params.set(field.param, typeof value === 'boolean' ? (value ? '1' : '0') : Array.isArray(value) ? value.join(',') : String(value));
  }
  return `#${params.toString()}`;
}

/** Applies a change and re-establishes the invariants (t within 1..T, frame within 0..t). */
export function withChange(state: ViewState, change: Partial<ViewState>): ViewState {
  const next: ViewState = { ...state, ...change };
  for (const field of FIELDS) {
    if (field.clamp) setField(next, field.key, clampAny(field, next[field.key], next));
  }
  return next;
}
