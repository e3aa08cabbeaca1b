import { BACKEND_CHOICES, isBackendChoice, type BackendChoice } from '../core/backend';
import { DEGRADATION_IDS, degradationInfo, GENERATION_DATASETS, generatorFor, isDegradationId, isGenerationDataset, SYMMETRY_NOISE, type DegradationId, type GenerationDataset } from '../core/degradations/catalog';
import { MAX_SEED } from '../core/degradations/rng';
import { isCheckpoint, isMode, isRestorerId, MODES, RESTORERS, type Mode, type RestorerId, type RunSettings } from '../core/engine/types';
import { SAMPLE_IDS } from '../samples';
import { imageParamProblem } from './imageLink';
import { describeBlock } from '../core/own/blocks';
import { defaultTransform, encodeTransform, parseTransform, type OwnTransform } from '../core/own/ownTransform';
import { isTrainingBudget, isTrainingLoss, isWarmStart, TRAINING_BUDGETS, TRAINING_LOSSES, WARM_STARTS, type TrainingBudget, type TrainingLoss, type WarmStart } from '../core/own/trainingSettings';

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
  /** How many steps the samplers take from t to 0 (1..t; t: every level, as the paper does). */
  steps: number;
  backend: BackendChoice;
  /** Sampler frame shown: 0 is the degraded input, `steps` is the end. */
  frame: number;
  /** Playback speed, frames per second. */
  fps: number;
  /** Fixes the hole centre, the snow layer, the noise or the mixed-in picture of seeded degradations, and the generated sample. */
  seed: number;
  /** Generating: the pictures the model learnt (its data set). */
  dataset: GenerationDataset;
  /** Generating: the start colour as 'rrggbb', or '' for the one the seed draws from the model's colour mixture. */
  colour: string;
  /** Generating: the symmetry-breaking noise σ added to the flat start (0: every seed of one colour gives one picture). */
  sigma: number;
  /** Your own transform (mode 'own'): its link value, T and up to three blocks (src/core/own/ownTransform.ts). */
  own: string;
  /** Your own transform: how long Train trains, in seconds of training (0: until stopped). */
  budget: TrainingBudget;
  /** Your own transform: what training minimises (src/core/own/trainer.ts says why L2 by default in the page). */
  loss: TrainingLoss;
  /** Your own transform: a shipped restorer training starts from, where it fits ('none': a new network). */
  warm: WarmStart;
  /** Who plays R: the trained network or the oracle (restore mode only: generating has no original). */
  restorer: RestorerId;
  /** The predict → correct view: each step's parts and the two update rules. */
  explain: boolean;
  /** The live error chart. */
  chart: boolean;
  /** "How many steps?": each sampler's final result against the number of steps (src/core/engine/stepSweep.ts). */
  sweep: boolean;
  /** Presentation mode: panels and chart fill the screen, controls reduced to the timeline. */
  present: boolean;
  /** Controls left out of the page, for a prepared lesson (their settings still come from the link). */
  hide: HideableControl[];
  /** A teacher's lesson, compressed (src/state/lesson.ts reads it); '' for the built-in lesson. */
  plan: string;
  /** The stop of the open lesson on screen, from 1; 0: no lesson is open. */
  lesson: number;
}

/** The view less the frame shown (which changes several times a second while a run plays). */
export type ViewSettings = Omit<ViewState, 'frame'>;

export const viewSettings = ({ frame: _frame, ...settings }: ViewState): ViewSettings => settings;

/** A lesson link's limits (src/state/lesson.ts enforces them; README, "Lessons" states them). */
export const MAX_LESSON_STOPS = 20;
export const MAX_PLAN_CHARS = 8000;

/** Largest symmetry-breaking noise a link may ask for: beyond it the start is no longer a flat colour. */
export const MAX_SIGMA = 0.2;

export const MIN_FPS = 1;
export const MAX_FPS = 30;

/** `instead`: what a refused value becomes where the field knows better than its default (a number clamped into range). */
type Parsed<V> = { value: V } | { error: string; instead?: V; saysWhatIsUsed?: true };

/**
 * What a change of a field sets going. 'run': it is part of RunSettings, so a new run starts;
 * 'picture': the input picture changes (its own request to the worker, then a run); 'engine': the
 * backend restarts; 'view': only what is shown changes. Either of the first two resets the frame
 * and stops playback (store.ts).
 */
export type FieldEffect = 'run' | 'picture' | 'engine' | 'view';

interface Field<K extends keyof ViewState> {
  /** Name in the link. */
  param: string;
  default: ViewState[K];
  effect: FieldEffect;
  /** The forward strip depends on it (it never depends on t). */
  redrawsStrip?: true;
  /** The name `hide=` uses for the control that sets it, if a lesson can leave that control out. */
  control?: HideableControl;
  /** Parses a link value; may read fields parsed before it (the table's order). */
  parse(raw: string, parsed: ViewState): Parsed<ViewState[K]>;
  /** Keeps an already-valid state consistent when an earlier field changes (`previous`: the state before a change). */
  clamp?(value: ViewState[K], state: ViewState, previous?: ViewState): ViewState[K];
  /** The value for a link without it, where that is not the default: links written before the field existed meant something else. */
  absent?(parsed: ViewState): ViewState[K];
  /** Written only in links of this mode: elsewhere it changes nothing, so links of other modes stay short. */
  onlyIn?: Mode;
  /** Left out of every link at its default: its absence means "off" for good (no lesson open), so writing it would only lengthen links. */
  omitAtDefault?: true;
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

/** Your own transform as the link value names it (parsed once per value: T and the strip read it often). */
let lastOwn: { text: string; transform: OwnTransform } | null = null;
export function ownTransformOf(s: Pick<ViewState, 'own'>): OwnTransform {
  if (lastOwn?.text !== s.own) lastOwn = { text: s.own, transform: parseTransform(s.own).transform };
  return lastOwn.transform;
}

/** What degrades the picture in restore mode or with your own transform: its name, its words, T and the strength at t. */
export function forwardProcessOf(s: Pick<ViewState, 'mode' | 'degradation' | 'own'>): { label: string; description: string; T: number; strengthLabel(t: number): string } {
  if (s.mode !== 'own') return degradationInfo(s.degradation);
  const transform = ownTransformOf(s);
  return {
    label: 'Your transform',
    description: `${transform.blocks.map(describeBlock).join(', then ')}.`,
    T: transform.T,
    strengthLabel: (t) => `${Math.round((100 * t) / transform.T)} % of T`,
  };
}

/** Last step of the current mode: generation always starts from the flat colour at its T. */
const T = (s: ViewState) => (s.mode === 'generate' ? generatorFor(s.dataset).schedule.T : s.mode === 'own' ? ownTransformOf(s).T : degradationInfo(s.degradation).T);
const firstStep = (s: ViewState) => (s.mode === 'generate' ? T(s) : 1);

/** Why a restorer cannot be used here, or null if it can: the oracle needs an original, a checkpoint must be shipped. */
export function restorerUnavailable(r: RestorerId, s: Pick<ViewState, 'mode' | 'degradation'>): string | null {
  if (r === 'trained') return null;
  // Your own transform: the snapshots of its training play the checkpoints (each run says when one is not taken yet).
  if (s.mode === 'own') return null;
  if (s.mode === 'generate') return `the ${r} restorer needs an original image, which generating has not`;
  if (isCheckpoint(r) && !degradationInfo(s.degradation).checkpoints?.includes(r)) return `no ${r} checkpoint is shipped for ${s.degradation}`;
  return null;
}
export const restorerAllowed = (r: RestorerId, s: Pick<ViewState, 'mode' | 'degradation'>) => restorerUnavailable(r, s) === null;

/**
 * What `hide=` can name (README, "Share and present"): the controls of link fields (each field's
 * `control` below says which it is) and of actions that have no setting (share, export, strip, learn).
 */
export const HIDEABLE_CONTROLS = ['mode', 'own', 'image', 'degradation', 'step', 'steps', 'seed', 'dataset', 'colour', 'restorer', 'backend', 'explain', 'chart', 'sweep', 'share', 'export', 'speed', 'strip', 'learn'] as const;
export type HideableControl = (typeof HIDEABLE_CONTROLS)[number];
const isHideable = (v: string): v is HideableControl => (HIDEABLE_CONTROLS as readonly string[]).includes(v);

/**
 * The view a bare link opens: where improved beats naive by most while improved also beats its input
 * and naive visibly fails (ends below its input), measured over every gallery picture × degradation × t
 * (docs/default-view.md): the goldfish, the first gallery picture, with the hole at t = 38.
 */
const DEFAULT_DEGRADATION: DegradationId = 'inpaint';
const DEFAULT_T = 38;

/**
 * The link table: one entry per field, in the order links are read (a field may depend on those
 * before it), saying its name in the link, its default, what a change sets going, and how it is
 * read and kept valid. Everything else about fields (defaults, run fields, hideable controls) is
 * derived from it.
 */
const FIELDS = {
  mode: { param: 'mode', default: 'restore', effect: 'run', redrawsStrip: true, control: 'mode', parse: oneOf('mode', MODES, isMode) },
  image: { param: 'img', default: SAMPLE_IDS[0]!, effect: 'picture', control: 'image', parse: oneOf('sample image', SAMPLE_IDS, (v): v is string => SAMPLE_IDS.includes(v)) },
  imageData: {
    param: 'imgdata',
    default: '',
    effect: 'picture',
    parse: (raw) => {
      const problem = raw === '' ? null : imageParamProblem(raw);
      return problem ? { error: `the image in the link ${problem}, so the gallery image is shown` } : { value: raw };
    },
  },
  degradation: { param: 'deg', default: DEFAULT_DEGRADATION, effect: 'run', redrawsStrip: true, control: 'degradation', parse: oneOf('degradation', DEGRADATION_IDS, isDegradationId) },
  dataset: {
    param: 'data',
    default: 'faces',
    effect: 'run',
    control: 'dataset',
    parse: oneOf('data set', GENERATION_DATASETS, isGenerationDataset),
    // Generate links from before 2026-12-04 generated garments; every link written since names its data set.
    absent: (s) => (s.mode === 'generate' ? 'garments' : 'faces'),
  },
  colour: {
    param: 'colour',
    default: '',
    effect: 'run',
    control: 'colour',
    parse: (raw) => (raw === '' || /^[0-9a-f]{6}$/i.test(raw) ? { value: raw.toLowerCase() } : { error: `start colour "${shorten(raw)}" must be six hex digits, e.g. ffd5dc` }),
  },
  sigma: {
    param: 'sigma',
    default: SYMMETRY_NOISE,
    effect: 'run',
    control: 'colour',
    parse: (raw) => {
      const n = /^\d*\.?\d+$/.test(raw) ? Number(raw) : NaN;
      return n >= 0 && n <= MAX_SIGMA ? { value: n } : { error: `noise σ "${shorten(raw)}" must be a number in 0..${MAX_SIGMA}` };
    },
  },
  own: {
    param: 'own',
    default: encodeTransform(defaultTransform()),
    effect: 'run',
    redrawsStrip: true,
    control: 'own',
    onlyIn: 'own',
    parse: (raw) => {
      const { transform, notices } = parseTransform(raw);
      const canonical = encodeTransform(transform);
      return notices.length === 0 ? { value: canonical } : { error: `your transform: ${notices.join(' ')}`, instead: canonical, saysWhatIsUsed: true };
    },
  },
  budget: {
    param: 'budget',
    default: 60,
    effect: 'view',
    control: 'own',
    onlyIn: 'own',
    parse: (raw) => {
      const n = integer(raw);
      return n !== null && isTrainingBudget(n) ? { value: n } : { error: `training budget "${shorten(raw)}" must be one of ${TRAINING_BUDGETS.join(', ')} seconds (0: until stopped)` };
    },
  },
  loss: { param: 'loss', default: 'l2', effect: 'view', control: 'own', onlyIn: 'own', parse: oneOf('training loss', TRAINING_LOSSES, isTrainingLoss) },
  warm: { param: 'warm', default: 'none', effect: 'view', control: 'own', onlyIn: 'own', parse: oneOf('warm start', WARM_STARTS, isWarmStart) },
  t: { param: 't', default: DEFAULT_T, effect: 'run', control: 'step', parse: intIn('step t', firstStep, T), clamp: (v, s) => Math.min(Math.max(firstStep(s), v), T(s)) },
  // Every level of the default t; a link without it takes every level, as links did before it existed.
  // Taking every level follows t when t changes; fewer steps stay as they are, within 1..t.
  steps: {
    param: 'steps',
    default: DEFAULT_T,
    effect: 'run',
    control: 'steps',
    parse: (raw, s) => {
      const checked = intIn('steps', () => 1, (v) => v.t)(raw, s);
      const n = integer(raw);
      return 'error' in checked ? { ...checked, instead: n === null ? s.t : Math.min(Math.max(1, n), s.t) } : checked;
    },
    clamp: (v, s, previous) => (previous && v === previous.t ? s.t : Math.min(Math.max(1, v), s.t)),
    absent: (s) => s.t,
  },
  backend: { param: 'backend', default: 'auto', effect: 'engine', control: 'backend', parse: oneOf('backend', BACKEND_CHOICES, isBackendChoice) },
  frame: { param: 'frame', default: 0, effect: 'view', parse: intIn('frame', () => 0, (s) => s.steps), clamp: (v, s) => Math.min(Math.max(0, v), s.steps) },
  fps: { param: 'fps', default: 8, effect: 'view', control: 'speed', parse: intIn('speed (fps)', () => MIN_FPS, () => MAX_FPS), clamp: (v) => Math.min(Math.max(MIN_FPS, v), MAX_FPS) },
  seed: { param: 'seed', default: 1, effect: 'run', redrawsStrip: true, control: 'seed', parse: intIn('seed', () => 0, () => MAX_SEED), clamp: (v) => Math.min(Math.max(0, Math.floor(v)), MAX_SEED) },
  restorer: {
    param: 'restorer',
    default: 'trained',
    effect: 'run',
    control: 'restorer',
    parse: (raw, s) => {
      const r = oneOf('restorer', RESTORERS, isRestorerId)(raw);
      const why = 'value' in r ? restorerUnavailable(r.value, s) : null;
      return why ? { error: why } : r;
    },
    clamp: (v, s) => (restorerAllowed(v, s) ? v : 'trained'),
  },
  explain: { param: 'explain', default: false, effect: 'view', control: 'explain', parse: flag('predict → correct view') },
  chart: { param: 'chart', default: true, effect: 'view', control: 'chart', parse: flag('error chart') },
  sweep: { param: 'sweep', default: false, effect: 'view', control: 'sweep', parse: flag('"how many steps?" view') },
  present: { param: 'present', default: false, effect: 'view', parse: flag('presentation mode') },
  hide: {
    param: 'hide',
    default: [],
    effect: 'view',
    parse: (raw) => {
      const names = raw.split(',').map((n) => n.trim()).filter(Boolean);
      const unknown = names.filter((n) => !isHideable(n));
      if (unknown.length > 0) return { error: `cannot hide "${shorten(unknown.join(','))}" (choose from ${HIDEABLE_CONTROLS.join(', ')})` };
      return { value: [...new Set(names as HideableControl[])] };
    },
  },
  plan: {
    param: 'plan',
    default: '',
    effect: 'view',
    // Only its form here: its stops are views of this very table, so src/state/lesson.ts (openLink) reads them.
    parse: (raw) =>
      raw.length > MAX_PLAN_CHARS
        ? { error: `the lesson in the link is ${raw.length} characters long, over the ${MAX_PLAN_CHARS} this page reads, so it was left out` }
        : /^[A-Za-z0-9._-]*$/.test(raw)
          ? { value: raw }
          : { error: `the lesson in the link ("${shorten(raw)}") was not written by this page, so it was left out` },
  },
  lesson: { param: 'lesson', default: 0, effect: 'view', omitAtDefault: true, parse: intIn('lesson stop', () => 0, () => MAX_LESSON_STOPS) },
} satisfies { readonly [K in keyof ViewState]: Field<K> };

type FieldEntry = { [K in keyof ViewState]: Field<K> & { key: K } }[keyof ViewState];
const ENTRIES = (Object.keys(FIELDS) as (keyof ViewState)[]).map((key) => ({ key, ...FIELDS[key] }) as FieldEntry);

/** The fields whose change starts a new run (the picture aside, which has its own request). */
type RunField = { [K in keyof ViewState]: (typeof FIELDS)[K]['effect'] extends 'run' ? K : never }[keyof ViewState];
export const RUN_FIELDS = ENTRIES.filter((f) => f.effect === 'run').map((f) => f.key) as RunField[];
// The run fields are exactly the engine's RunSettings (a compile error otherwise).
const runFieldsMatch: [Exclude<keyof RunSettings, RunField>, Exclude<RunField, keyof RunSettings>] extends [never, never] ? true : never = true;
void runFieldsMatch;

export function runSettings(view: ViewSettings): RunSettings {
  return Object.fromEntries(RUN_FIELDS.map((k) => [k, view[k]])) as unknown as RunSettings;
}

export const startsNewRun = (a: ViewState, b: ViewState): boolean => RUN_FIELDS.some((k) => a[k] !== b[k]);
/** A new run or a new picture: the frame goes back to 0 and playback stops. */
export const restartsRun = (a: ViewState, b: ViewState): boolean => ENTRIES.some((f) => (f.effect === 'run' || f.effect === 'picture') && a[f.key] !== b[f.key]);
/** The forward strip shows D(x0, t) for the picture, the degradation and its seed, never for t. */
export const redrawsStrip = (a: ViewState, b: ViewState): boolean => ENTRIES.some((f) => f.redrawsStrip && a[f.key] !== b[f.key]);

/** Where a degradation starts when picked: half way, so both samplers have steps to show. */
export function startStep(degradation: DegradationId): number {
  return Math.floor(degradationInfo(degradation).T / 2);
}

export function defaultViewState(): ViewState {
  return Object.fromEntries(ENTRIES.map((f) => [f.key, Array.isArray(f.default) ? [...f.default] : f.default])) as unknown as ViewState;
}

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
  const known = new Set(ENTRIES.map((f) => f.param));
  for (const field of ENTRIES) {
    const raw = params.get(field.param);
    if (raw === null) {
      const absent = field.absent ? (field.absent as (s: ViewState) => ViewState[typeof field.key])(state) : defaults[field.key];
      setField(state, field.key, field.clamp ? clampAny(field, absent, state) : absent);
      continue;
    }
    const parsed = (field.parse as (raw: string, s: ViewState) => Parsed<ViewState[typeof field.key]>)(raw, state);
    if ('value' in parsed) {
      setField(state, field.key, parsed.value);
    } else {
      const fallback = parsed.instead ?? (field.clamp ? clampAny(field, defaults[field.key], state) : defaults[field.key]);
      setField(state, field.key, fallback);
      const used = 'saysWhatIsUsed' in parsed ? '' : String(fallback);
      notices.push(used === '' ? `Link: ${parsed.error}.` : `Link: ${parsed.error}; using ${used}.`);
    }
  }
  const unknown = [...new Set([...params.keys()].filter((k) => !known.has(k)))];
  if (unknown.length > 0) {
    const shown = unknown.slice(0, MAX_LISTED).map((k) => `"${shorten(k)}"`).join(', ');
    const more = unknown.length > MAX_LISTED ? ` and ${unknown.length - MAX_LISTED} more` : '';
    notices.push(unknown.length === 1 ? `Link: ignored unknown setting ${shown}.` : `Link: ignored ${unknown.length} unknown settings: ${shown}${more}.`);
  }
  for (const field of ENTRIES) {
    const values = params.getAll(field.param);
    if (values.length > 1) notices.push(`Link: "${field.param}" is given ${values.length} times; the first (${shorten(values[0]!)}) was used.`);
  }
  return { state, notices };
}

function setField<K extends keyof ViewState>(state: ViewState, key: K, value: ViewState[K]): void {
  state[key] = value;
}

function clampAny<K extends keyof ViewState>(field: Field<K>, value: ViewState[K], state: ViewState, previous?: ViewState): ViewState[K] {
  return field.clamp ? field.clamp(value, state, previous) : value;
}

/**
 * Writes every field (defaults too), so a link means the same even if defaults change; empty
 * ones (no image data, nothing hidden) are left out, since "empty" is no default that could change.
 * `short`: only what differs from today's defaults, for a QR code that must stay readable.
 */
export function formatLink(state: ViewState, { short = false }: { short?: boolean } = {}): string {
  const params = new URLSearchParams();
  const defaults = short ? defaultViewState() : null;
  for (const field of ENTRIES) {
    const value = state[field.key];
    const text = formatValue(value);
    const readWithout = defaults && (field.absent ? (field.absent as (s: ViewState) => ViewState[typeof field.key])(state) : defaults[field.key]);
    if (field.onlyIn && state.mode !== field.onlyIn) continue;
    if (text === '' || (defaults && text === formatValue(readWithout!)) || (field.omitAtDefault && text === formatValue(field.default))) continue;
    params.set(field.param, text);
  }
  // '~' is unreserved (RFC 3986): left as it is, your own transform's blocks read as they are written.
  return `#${params.toString().replace(/%7E/g, '~')}`;
}

const formatValue = (value: ViewState[keyof ViewState]) => (typeof value === 'boolean' ? (value ? '1' : '0') : Array.isArray(value) ? value.join(',') : String(value));

/** Applies a change and re-establishes the invariants (t within 1..T, steps within 1..t, frame within 0..steps). */
export function withChange(state: ViewState, change: Partial<ViewState>): ViewState {
  const next: ViewState = { ...state, ...change };
  for (const field of ENTRIES) {
    if (field.clamp) setField(next, field.key, clampAny(field, next[field.key], next, state));
  }
  return next;
}
