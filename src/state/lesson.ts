// fflate rather than lz-string: raw DEFLATE with a preset dictionary packs one stop's JSON about twice as
// tightly as LZ-string, and inflating into a fixed buffer caps what a hostile link can expand to.
import { deflateSync, inflateSync, strFromU8, strToU8 } from 'fflate';
import { formatLink, HIDEABLE_CONTROLS, MAX_LESSON_STOPS, MAX_PLAN_CHARS, parseLink, restartsRun, withChange, type HideableControl, type LinkParseResult, type ViewSettings, type ViewState } from './viewState';

/**
 * Lessons: a list of stops, each a view of the page (a link fragment of the one link table,
 * viewState.ts) with a caption and, where it teaches, a question answered before "Reveal". The
 * built-in lesson is opened with `lesson=<stop>`; a teacher's lesson travels in `plan=` as well.
 */

export interface LessonStop {
  /** The view, as a link fragment without '#', e.g. 'deg=blur&t=40&restorer=early': validated by parseLink like any link. */
  view: string;
  /** A few words for the progress marker; a teacher's stops go by their number. */
  title?: string;
  caption: string;
  question?: string;
  answer?: string;
}

export interface Lesson {
  title: string;
  /** Controls the students do not see while the lesson is open. */
  hide: HideableControl[];
  stops: LessonStop[];
}

/** What one lesson may hold; links, files and the editor all enforce it. */
export const LESSON_LIMITS = {
  stops: MAX_LESSON_STOPS,
  titleChars: 100,
  captionChars: 600,
  questionChars: 300,
  answerChars: 600,
  viewChars: 800,
  /** The compressed lesson in a link: long links get cut by chat apps and mail clients well before browsers mind. */
  planChars: MAX_PLAN_CHARS,
  /** An imported lesson file (a full lesson is about 10 kB of JSON). */
  fileBytes: 100_000,
} as const;

/** Link parameters a stop never carries: where it is shown (presentation, backend, frame) and the lesson itself. */
const NOT_IN_A_STOP = ['imgdata', 'backend', 'frame', 'present', 'hide', 'plan', 'lesson'];

/** The built-in lesson: each stop's numbers were read off the page with the shipped models (README, "Lessons"). */
export const BUILT_IN_LESSON: Lesson = {
  title: 'Cold diffusion in nine stops',
  hide: [],
  stops: [
    {
      title: 'The forward process',
      view: 'img=goldfish&deg=blur&t=40',
      caption:
        'Cold diffusion starts from a degradation D(x0, t) that needs no noise: here a blur that grows with t, up to T = 40. On the page, the strip under the panels shows D(x0, t) from t = 0 (the photo) to T; the "degraded" panel is where the samplers start.',
    },
    {
      title: 'Naive vs improved',
      view: 'img=goldfish&deg=blur&t=40',
      caption: 'A network R(x_t, t) was trained to undo the blur in one go. Both samplers start from the fully blurred fish, call the same network once per step and differ only in how they take the step.',
      question: 'Which sampler ends closer to the photo, and does either end worse than where it started?',
      answer:
        'Improved sampling (Algorithm 2) ends at about 23.6 dB, close to one network call; naive sampling (Algorithm 1) falls to about 16 dB, below its own 20.7 dB input. Naive replaces x_s by a re-blurred estimate every step, so the estimate’s errors pile up.',
    },
    {
      title: 'Predict → correct',
      view: 'img=goldfish&deg=blur&t=40&explain=1',
      caption:
        'Each step predicts x̂0 = R(x_s, s), then corrects. Naive keeps only D(x̂0, s−1). Improved keeps x_s and swaps the blur of the estimate: x_s − D(x̂0, s) + D(x̂0, s−1). Move the timeline to see each term.',
      question: 'If the estimate x̂0 is wrong, what happens to its error in the improved update?',
      answer:
        'It enters twice with opposite signs: D(x̂0, s) and D(x̂0, s−1) are almost the same blur of the same wrong picture, so most of the error cancels, and what x_s holds that the estimate misses (the residual tile) is kept. Naive throws that residual away.',
    },
    {
      title: 'A poor restorer',
      view: 'img=ladybird&deg=blur&t=40&restorer=early',
      caption: 'Now R is an early checkpoint of the same training run, after 3 % of its steps: on its own it barely sharpens the blurred ladybird.',
      question: 'With this poor restorer, which sampler will still restore?',
      answer:
        'Improved sampling: it ends above its 16.5 dB input (about 18 dB), a little better than one network call. Naive sampling ends near 14 dB, worse than the blurred input: a poor restorer makes its errors pile up faster.',
    },
    {
      title: 'The number of steps',
      view: 'img=goldfish&deg=blur&t=40&steps=4&sweep=1',
      caption:
        'Each step is one network call. Here the samplers go from t = 40 to 0 in only 4 steps of 10 levels each (stop 2 took all 40), and the sweep compares step counts.',
      question: 'With 4 steps instead of 40, does naive sampling do better or worse?',
      answer:
        'Better: it ends at about 23.0 dB instead of 16.2, close to improved (23.7 dB). It re-blurs a wrong estimate 4 times instead of 40, so fewer errors pile up; improved does as well with 4 steps as with 40.',
    },
    {
      title: 'Hot noise vs cold',
      view: 'img=goldfish&deg=noise&t=25',
      caption: 'For contrast, classic “hot” diffusion: the picture fades into Gaussian noise. The samplers never see the noise that was added; each step estimates it from x_s and x̂0.',
      question: 'Will improved sampling beat naive sampling here too?',
      answer:
        'No: they end on the same picture (about 24.7 dB both). With the noise estimated from x_s and x̂0, the two updates are the same step (improved is then DDIM). The gap between them belongs to deterministic, “cold” degradations like the blur.',
    },
    {
      title: 'Inpainting',
      view: 'img=goldfish&deg=inpaint&t=38',
      caption: 'Any degradation will do: here a hole that grows with t until it has eaten the middle of the fish. The network learnt to fill holes; the samplers undo the hole step by step.',
      question: 'Which sampler fills the hole with something like a fish?',
      answer:
        'Improved: about 26 dB against the photo, from a 16.9 dB input. Naive climbs to about 21.7 dB on the way, then collapses into saturated blobs (about 8 dB, far worse than the holed input).',
    },
    {
      title: 'Generation',
      view: 'mode=generate',
      caption:
        'Blur all the way and every picture becomes one flat colour. Start from a flat colour plus faint noise, and a network trained to deblur draws a new picture. Each seed gives another.',
      question: 'Without the faint noise, how many different pictures could one flat colour give?',
      answer: 'One: the blur and the network are deterministic, so one start gives one picture. The paper adds the tiny noise (“broken symmetry”) so that each seed of the same colour gives a different picture.',
    },
    {
      title: 'Your own transform',
      view: 'mode=own&own=20~gauss.l.4.4.0~darken.l.60&t=12&budget=30',
      caption:
        'Any transform at all: build one from blocks (here a blur, then darkening), then press Train. A network learns to undo it on this very device, in 30 s; the charts show its loss and its PSNR on pictures it never trains on.',
      question: 'A network trained for only 30 s is a poor restorer. Which sampler will still restore with it?',
      answer:
        'Improved. On a 2-core machine (WASM), from t = 12 of the goldfish, never trained on: input 16.0 dB, one network call 18.2, naive 11.2 (it drifts into a murky green), improved 26.1. With the 10-second snapshot naive falls to 6.8 while improved still reaches 25.9.',
    },
  ],
};

/** A lesson as the page reads it: what survived validation, and what was dropped, for a notice. */
export interface ReadLesson {
  lesson: Lesson;
  notices: string[];
}

const isHideable = (v: unknown): v is HideableControl => typeof v === 'string' && (HIDEABLE_CONTROLS as readonly string[]).includes(v);
const cut = (text: string, n = 40) => (text.length > n ? `${text.slice(0, n - 1)}…` : text);
const describeStop = (index: number, stop?: { caption?: unknown }) => (typeof stop?.caption === 'string' && stop.caption.trim() !== '' ? `stop ${index + 1} (“${cut(stop.caption.trim())}”)` : `stop ${index + 1}`);

/** The view fragment a stop keeps of a view: every setting of what is shown, nothing of where or how. */
export function stopFragment(view: ViewSettings): string {
  // A stop never holds the frame (NOT_IN_A_STOP).
  const params = new URLSearchParams(formatLink({ ...view, frame: 0 }).slice(1));
  for (const p of NOT_IN_A_STOP) params.delete(p);
  return params.toString();
}

/**
 * A stop from untrusted data (a link, a file), or why it cannot be used. Its view must parse without
 * a single notice: a stop that names a setting or a value this page no longer has is dropped rather
 * than shown half right.
 */
function readStop(raw: unknown): LessonStop | string {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return 'it is not a stop';
  const r = raw as Record<string, unknown>;
  const text = (key: string, limit: number): string | undefined | Error => {
    const v = r[key];
    if (v === undefined || v === null || v === '') return undefined;
    if (typeof v !== 'string') return new Error(`its ${key} is not text`);
    if (v.length > limit) return new Error(`its ${key} is longer than ${limit} characters`);
    return v;
  };
  const caption = text('caption', LESSON_LIMITS.captionChars);
  const question = text('question', LESSON_LIMITS.questionChars);
  const answer = text('answer', LESSON_LIMITS.answerChars);
  const title = text('title', LESSON_LIMITS.titleChars);
  for (const v of [caption, question, answer, title]) if (v instanceof Error) return v.message;
  if (typeof r.view !== 'string') return 'it has no view';
  if (r.view.length > LESSON_LIMITS.viewChars) return `its view is longer than ${LESSON_LIMITS.viewChars} characters`;
  const opened = parseLink(`#${r.view}`);
  if (opened.notices.length > 0) return opened.notices[0]!.replace(/^Link: /, 'its view: ').replace(/\.$/, '');
  const stop: LessonStop = { view: stopFragment(opened.state), caption: (caption as string | undefined) ?? '' };
  if (title) stop.title = title as string;
  if (question) {
    stop.question = question as string;
    if (answer) stop.answer = answer as string;
  }
  return stop;
}

/** A lesson from untrusted data: the stops that can be used, and one notice naming those that were dropped. */
export function readLesson(raw: { title?: unknown; hide?: unknown; stops: unknown[] }, dropped: string[] = []): ReadLesson {
  const stops: LessonStop[] = [];
  const problems = [...dropped];
  raw.stops.forEach((s, i) => {
    if (i >= LESSON_LIMITS.stops) return;
    const stop = readStop(s);
    if (typeof stop === 'string') problems.push(`${describeStop(i, s as { caption?: unknown })}: ${stop}`);
    else stops.push(stop);
  });
  if (raw.stops.length > LESSON_LIMITS.stops) problems.push(`stops ${LESSON_LIMITS.stops + 1}–${raw.stops.length}: a lesson has at most ${LESSON_LIMITS.stops}`);
  const title = typeof raw.title === 'string' ? cut(raw.title, LESSON_LIMITS.titleChars) : '';
  const hide = Array.isArray(raw.hide) ? [...new Set(raw.hide.filter(isHideable))] : [];
  const notices: string[] = [];
  if (problems.length > 0) {
    const kept = stops.length === 0 ? 'none of its stops could be opened' : `${stops.length} stop${stops.length === 1 ? '' : 's'} opened`;
    notices.push(`Lesson: ${kept}; dropped ${problems.join('; ')}.`);
  }
  return { lesson: { title, hide, stops }, notices };
}

/*
 * The link form (`plan=`): "1." then dot-separated segments, each base64url(raw DEFLATE(JSON)): the
 * first the lesson's title and hidden controls, then one per stop. Stops are compressed one by one,
 * so a link cut short or damaged loses only the stops it cuts, and the rest open. The preset dictionary
 * (the text most stops share) makes a short stop compress well alone; it must never change, since
 * links depend on it: another dictionary needs another version prefix.
 */
const PLAN_VERSION = '1';
const DICTIONARY = strToU8(
  '{"title":"","hide":["mode","image","degradation","step","seed","restorer","backend","explain","chart","share","export","speed","strip","learn"]}' +
    '{"view":"mode=restore&img=goldfish&deg=blur&t=40&fps=8&seed=1&restorer=trained&explain=0&chart=1&mode=generate&deg=inpaint&deg=noise&restorer=early&restorer=oracle&explain=1&chart=0","caption":"","question":"","answer":""}' +
    ' the picture, the network, the samplers, naive sampling, improved sampling, which sampler, the restorer, the blur, the hole, the noise, each step, what happens? Why? ',
);
/** What one segment may inflate to: more than any valid stop, and a cap on what a hostile link costs. */
const MAX_SEGMENT_BYTES = 4 * LESSON_LIMITS.captionChars + 4 * LESSON_LIMITS.answerChars + 4 * LESSON_LIMITS.questionChars + LESSON_LIMITS.viewChars + 4 * LESSON_LIMITS.titleChars + 200;

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) return null;
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

const packSegment = (value: unknown) => toBase64Url(deflateSync(strToU8(JSON.stringify(value)), { level: 9, dictionary: DICTIONARY }));

function unpackSegment(segment: string): unknown {
  const bytes = fromBase64Url(segment);
  if (!bytes || bytes.length === 0) throw new Error('not base64url');
  const out = inflateSync(bytes, { out: new Uint8Array(MAX_SEGMENT_BYTES), dictionary: DICTIONARY });
  if (out.length >= MAX_SEGMENT_BYTES) throw new Error('too long');
  return JSON.parse(strFromU8(out)) as unknown;
}

/** A teacher's lesson in link form (`plan=`); check its length against LESSON_LIMITS.planChars. */
export function encodeLesson(lesson: Lesson): string {
  const stop = (s: LessonStop) => ({ view: s.view, caption: s.caption, ...(s.title ? { title: s.title } : {}), ...(s.question ? { question: s.question } : {}), ...(s.question && s.answer ? { answer: s.answer } : {}) });
  return [PLAN_VERSION, packSegment({ title: lesson.title, hide: lesson.hide, count: lesson.stops.length }), ...lesson.stops.map((s) => packSegment(stop(s)))].join('.');
}

/** A lesson from its link form, whatever the link holds: the stops that survive, and what was dropped. */
export function decodeLesson(plan: string): ReadLesson {
  if (plan.length > LESSON_LIMITS.planChars) return { lesson: { title: '', hide: [], stops: [] }, notices: [`Lesson: the lesson in the link is longer than ${LESSON_LIMITS.planChars} characters, so it was left out.`] };
  const [version, header = '', ...segments] = plan.split('.');
  if (version !== PLAN_VERSION) return { lesson: { title: '', hide: [], stops: [] }, notices: ['Lesson: the lesson in the link was not written by this page (or by a newer one), so it was left out.'] };
  let head: { title?: unknown; hide?: unknown; count?: unknown } = {};
  const dropped: string[] = [];
  try {
    const h = unpackSegment(header);
    if (typeof h === 'object' && h !== null) head = h as typeof head;
  } catch {
    dropped.push('its title and hidden controls (unreadable)');
  }
  const stops = segments.map((segment) => {
    try {
      return unpackSegment(segment);
    } catch {
      return { unreadable: true };
    }
  });
  // The header counts the stops, so a link cut between two stops still says what it lost.
  const count = typeof head.count === 'number' && Number.isInteger(head.count) ? Math.min(head.count, LESSON_LIMITS.stops) : 0;
  if (count > stops.length) dropped.push(count - stops.length === 1 ? `stop ${count}: missing (the link was cut short)` : `stops ${stops.length + 1}–${count}: missing (the link was cut short)`);
  const read = readLesson({ title: head.title, hide: head.hide, stops: stops.map((s) => (isUnreadable(s) ? null : s)) }, dropped);
  // readLesson says "it is not a stop" for what could not even be unpacked: say what happened instead.
  read.notices = read.notices.map((n) => n.replace(/: it is not a stop/g, ': unreadable (the link may have been cut short or changed)'));
  return read;
}

const isUnreadable = (s: unknown) => typeof s === 'object' && s !== null && 'unreadable' in s;

/** The lesson file a teacher exports: small, readable JSON. */
export interface LessonFile extends Lesson {
  format: 'cold-diffusion-lesson';
  version: 1;
}

export function lessonToFile(lesson: Lesson): string {
  const file: LessonFile = { format: 'cold-diffusion-lesson', version: 1, ...lesson };
  return `${JSON.stringify(file, null, 2)}\n`;
}

/** A lesson file's text, whatever it holds: the stops that can be used, or a reason it cannot be read at all. */
export function lessonFromFile(text: string): ReadLesson | { error: string } {
  if (text.length > LESSON_LIMITS.fileBytes) return { error: `the file is larger than ${LESSON_LIMITS.fileBytes / 1000} kB; a lesson file is a few kB` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { error: 'the file is not JSON' };
  }
  if (typeof raw !== 'object' || raw === null || (raw as { format?: unknown }).format !== 'cold-diffusion-lesson') return { error: 'the file is not a lesson exported by this page' };
  const r = raw as { title?: unknown; hide?: unknown; stops?: unknown };
  if (!Array.isArray(r.stops)) return { error: 'the file has no list of stops' };
  return readLesson({ title: r.title, hide: r.hide, stops: r.stops });
}

/** Decoding is cheap but the page asks on every render: the last plan read is kept. */
let lastRead: { plan: string; read: ReadLesson } | null = null;

/** The lesson a view has open: the teacher's in `plan`, else the built-in one; null when none is open. */
export function openLessonOf(view: Pick<ViewState, 'plan' | 'lesson'>): Lesson | null {
  if (view.lesson === 0) return null;
  if (view.plan === '') return BUILT_IN_LESSON;
  if (lastRead?.plan !== view.plan) lastRead = { plan: view.plan, read: decodeLesson(view.plan) };
  return lastRead.read.lesson;
}

/**
 * The view of stop `index` (from 1) of a lesson, seen from the current view: the stop's settings (the
 * rest at their defaults), the lesson's hidden controls, and where it is shown kept (presentation,
 * backend). The frame stays where the run stays the same, so stepping to a stop that only opens a
 * view keeps the picture on screen.
 */
export function viewOfStop(current: ViewState, lesson: Lesson, plan: string, index: number): LinkParseResult {
  const stop = lesson.stops[index - 1];
  if (!stop) return { state: current, notices: [] };
  const { state, notices } = parseLink(`#${stop.view}`);
  const names = new URLSearchParams(stop.view);
  const candidate = withChange(state, { present: current.present, backend: current.backend, imageData: '', hide: [...new Set([...lesson.hide, ...state.hide])], plan, lesson: index });
  const frame = names.has('frame') ? candidate.frame : restartsRun(current, candidate) ? 0 : current.frame;
  const named = notices.map((n) => n.replace(/^Link: /, `Lesson, ${describeStop(index - 1, stop)}: `));
  return { state: withChange(candidate, { frame }), notices: named };
}

/** Whether the visitor has moved away from the stop's view (then the lesson offers the way back). */
export function leftStop(current: ViewSettings, lesson: Lesson, index: number): boolean {
  // Stops hold no frame (stopFragment), so the frame shown cannot make a difference here.
  const { state } = viewOfStop({ ...current, frame: 0 }, lesson, current.plan, index);
  return stopFragment(state) !== stopFragment(current);
}

/** Parameters a link may hold and still mean "open the lesson's stop", not a view of its own. */
const LESSON_ONLY = new Set(['lesson', 'plan', 'present', 'backend']);

/**
 * Reads a link as parseLink does, then its lesson: a teacher's lesson is validated stop by stop (the
 * valid ones open, a notice names the rest, the link keeps only those), a lesson link opens at its
 * first stop, and a link that names a stop and no view of its own opens that stop's view.
 */
export function openLink(hash: string): LinkParseResult {
  const parsed = parseLink(hash);
  let { state } = parsed;
  const notices = [...parsed.notices];
  if (state.lesson === 0 && state.plan === '') return { state, notices };
  let lesson = BUILT_IN_LESSON;
  let plan = state.plan;
  if (plan !== '') {
    const read = decodeLesson(plan);
    notices.push(...read.notices);
    if (read.lesson.stops.length === 0) return { state: { ...state, plan: '', lesson: 0 }, notices };
    lesson = read.lesson;
    // The link keeps only what opened, so the notice is not repeated on every reload.
    if (read.notices.length > 0) plan = encodeLesson(read.lesson);
  }
  let index = state.lesson === 0 ? 1 : state.lesson;
  if (index > lesson.stops.length) {
    notices.push(`Lesson: there is no stop ${index} (the lesson has ${lesson.stops.length}); opened stop 1.`);
    index = 1;
  }
  state = { ...state, plan, lesson: index };
  const namesView = [...new URLSearchParams(hash.replace(/^#/, '')).keys()].some((k) => !LESSON_ONLY.has(k));
  if (namesView) return { state, notices };
  const opened = viewOfStop(state, lesson, plan, index);
  return { state: opened.state, notices: [...notices, ...opened.notices] };
}
