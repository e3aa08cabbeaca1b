import { deflateSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_LESSON, decodeLesson, encodeLesson, LESSON_LIMITS, lessonFromFile, lessonToFile, leftStop, openLessonOf, openLink, stopFragment, viewOfStop, type Lesson } from './lesson';
import { defaultViewState, formatLink, parseLink, withChange } from './viewState';

const TEACHERS: Lesson = {
  title: 'Blur, step by step',
  hide: ['seed', 'backend'],
  stops: [
    { view: 'deg=blur&t=40', caption: 'Blur at T: watch naive drift.', question: 'Which sampler ends closer?', answer: 'Improved.' },
    { view: 'deg=inpaint&t=38&explain=1', caption: 'Ünïcödé “quotes” & ampersands = fine' },
    { view: 'deg=noise&t=25&chart=0', caption: 'Hot noise', question: 'Same picture?' },
  ],
};

/** Stops as readLesson writes them: every setting of the view spelled out, as links are. */
const canonical = (lesson: Lesson): Lesson => ({ ...lesson, stops: lesson.stops.map((s) => ({ ...s, view: stopFragment(parseLink(`#${s.view}`).state) })) });

/** The fields another engineer is adding at the same time as the lessons (samplers in n steps, the sweep view). */
const PENDING_FIELDS = ['steps', 'sweep'];

describe('the built-in lesson', () => {
  it('has about eight stops, each a view the link table reads (settings still to come aside), with a caption', () => {
    expect(BUILT_IN_LESSON.stops.length).toBeGreaterThanOrEqual(7);
    expect(BUILT_IN_LESSON.stops.length).toBeLessThanOrEqual(LESSON_LIMITS.stops);
    for (const stop of BUILT_IN_LESSON.stops) {
      const { notices } = parseLink(`#${stop.view}`);
      for (const n of notices) expect(PENDING_FIELDS.some((f) => n.includes(`"${f}"`)), `${stop.title}: ${n}`).toBe(true);
      expect(stop.caption.length).toBeGreaterThan(0);
      expect(stop.caption.length).toBeLessThanOrEqual(LESSON_LIMITS.captionChars);
      if (stop.answer) expect(stop.question).toBeTruthy();
    }
  });

  it('opens at the stop a link names, with that stop’s view; a link with a view of its own keeps it', () => {
    const { state } = openLink('#lesson=4');
    expect(state).toMatchObject({ lesson: 4, plan: '', degradation: 'blur', t: 40, restorer: 'early', image: 'ladybird' });
    const own = openLink('#deg=snow&t=10&lesson=4');
    expect(own.state).toMatchObject({ lesson: 4, degradation: 'snow', t: 10, restorer: 'trained' });
  });

  it('keeps presentation mode and the backend when it moves to a stop, and the frame when the run stays', () => {
    const at2 = withChange(openLink('#lesson=2&present=1&backend=wasm').state, { frame: 30 });
    expect(at2).toMatchObject({ present: true, backend: 'wasm', frame: 30 });
    const at3 = viewOfStop(at2, BUILT_IN_LESSON, '', 3).state;
    expect(at3).toMatchObject({ lesson: 3, explain: true, present: true, backend: 'wasm', frame: 30 });
    const at4 = viewOfStop(at3, BUILT_IN_LESSON, '', 4).state;
    expect(at4).toMatchObject({ lesson: 4, restorer: 'early', frame: 0, explain: false });
  });

  it('says when the visitor has left a stop’s view, and not for the frame or presentation mode', () => {
    const at = openLink('#lesson=2').state;
    expect(leftStop(at, BUILT_IN_LESSON, 2)).toBe(false);
    expect(leftStop(withChange(at, { frame: 12, present: true }), BUILT_IN_LESSON, 2)).toBe(false);
    expect(leftStop(withChange(at, { t: 12 }), BUILT_IN_LESSON, 2)).toBe(true);
  });

  it('refuses a stop beyond the lesson with a notice and opens the first', () => {
    const { state, notices } = openLink('#lesson=15');
    expect(state.lesson).toBe(1);
    expect(notices.join(' ')).toMatch(/no stop 15/);
    expect(parseLink('#lesson=999').notices[0]).toMatch(/lesson stop 999 is outside 0\.\.20/);
  });
});

describe("a teacher's lesson in a link", () => {
  it('round-trips: stops, captions, questions, answers, title and hidden controls', () => {
    const plan = encodeLesson(TEACHERS);
    expect(plan).toMatch(/^[A-Za-z0-9._-]+$/);
    expect(decodeLesson(plan)).toEqual({ lesson: canonical(TEACHERS), notices: [] });
    const link = formatLink({ ...defaultViewState(), plan, lesson: 2 });
    expect(parseLink(link).state).toMatchObject({ plan, lesson: 2 });
  });

  it('is compressed: a full lesson of long stops stays within the link limit', () => {
    const stop = { view: stopFragment(defaultViewState()), caption: 'A caption of a fair length that says what to look at and why it matters here. '.repeat(3), question: 'Which sampler will still restore when the restorer is poor?', answer: 'Improved: it keeps the residual. '.repeat(4) };
    const plan = encodeLesson({ title: 'Long', hide: ['seed'], stops: Array.from({ length: LESSON_LIMITS.stops }, () => stop) });
    expect(plan.length).toBeLessThanOrEqual(LESSON_LIMITS.planChars);
    expect(plan.length).toBeLessThan(JSON.stringify(Array(LESSON_LIMITS.stops).fill(stop)).length / 2);
  });

  it('opens at its first stop with the hidden controls, and writes no lesson into plain links', () => {
    const { state, notices } = openLink(`#plan=${encodeLesson(TEACHERS)}`);
    expect(notices).toEqual([]);
    expect(state).toMatchObject({ lesson: 1, degradation: 'blur', t: 40, hide: ['seed', 'backend'] });
    expect(openLessonOf(state)?.stops.map((s) => s.caption)).toEqual(TEACHERS.stops.map((s) => s.caption));
    expect(formatLink(defaultViewState())).not.toMatch(/lesson|plan/);
  });

  it('leaves old plain links as they were', () => {
    for (const hash of ['#img=ladybird&deg=blur&t=12&backend=wasm&frame=3&fps=4', '#deg=snow&t=25&hide=seed,backend', '']) expect(openLink(hash)).toEqual(parseLink(hash));
  });
});

describe('hostile lesson links', () => {
  const plan = encodeLesson(TEACHERS);

  it('truncated anywhere: never throws; the stops before the cut open and a notice names the rest', () => {
    for (let n = 0; n <= plan.length; n++) {
      const { state, notices } = openLink(`#plan=${plan.slice(0, n)}`);
      const lesson = openLessonOf(state);
      if (lesson) {
        expect(lesson.stops.length).toBeLessThanOrEqual(3);
        for (const [i, s] of lesson.stops.entries()) expect(s.caption).toBe(TEACHERS.stops[i]!.caption);
        if (lesson.stops.length < 3) expect(notices.join(' ')).toMatch(/dropped/);
      } else {
        expect(state).toMatchObject({ plan: '', lesson: 0 });
      }
    }
    const cut = plan.slice(0, plan.lastIndexOf('.') + 5);
    const opened = openLink(`#plan=${cut}`);
    expect(openLessonOf(opened.state)?.stops).toHaveLength(2);
    expect(opened.notices.join(' ')).toMatch(/2 stops opened; dropped stop 3: unreadable/);
    // The link keeps only what opened.
    expect(decodeLesson(opened.state.plan).notices).toEqual([]);
  });

  it('malformed, oversized, from another version: left out with a notice, the page opens as a plain link', () => {
    for (const [bad, why] of [
      ['%%%', /was not written by this page/],
      ['<script>', /was not written by this page/],
      ['2.abc.def', /newer one/],
      ['1.!!!!', /was not written by this page/],
      [`1.${'A'.repeat(LESSON_LIMITS.planChars)}`, /over the 8000/],
      ['1.AAAA.AAAA', /none of its stops/],
    ] as const) {
      const { state, notices } = openLink(`#plan=${bad}&deg=snow&t=10`);
      expect(state, bad).toMatchObject({ plan: '', lesson: 0, degradation: 'snow', t: 10 });
      expect(notices.join(' '), bad).toMatch(why);
    }
  });

  it('a stop naming a setting or value that no longer exists is dropped by name; the valid stops open', () => {
    const lesson: Lesson = {
      title: '',
      hide: ['kettle' as 'seed', 'seed'],
      stops: [{ view: 'deg=blur&t=40', caption: 'fine' }, { view: 'deg=teleport&t=3', caption: 'Old degradation' }, { view: 'deg=blur&sweep9=1', caption: 'Old view' }, { view: 'deg=noise', caption: 'also fine' }],
    };
    const { state, notices } = openLink(`#plan=${encodeLesson(lesson)}&lesson=2`);
    expect(openLessonOf(state)?.stops.map((s) => s.caption)).toEqual(['fine', 'also fine']);
    expect(state.hide).toEqual(['seed']);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/2 stops opened; dropped stop 2 \(“Old degradation”\): its view: unknown degradation "teleport".*; stop 3 \(“Old view”\): its view: ignored unknown setting "sweep9"/);
  });

  it('stops that are not stops, texts too long, lessons too long: dropped or cut, never thrown', () => {
    const long = 'x'.repeat(LESSON_LIMITS.captionChars + 1);
    const read = lessonFromFile(JSON.stringify({ format: 'cold-diffusion-lesson', version: 1, title: 7, hide: 'seed', stops: [null, 3, [], { view: 5 }, { view: 'deg=blur', caption: long }, { view: 'deg=blur&plan=1.x&present=1&lesson=3&imgdata=png.AAAA', caption: 'ok' }, ...Array(30).fill({ view: 'deg=blur', caption: 'many' })] }));
    if ('error' in read) throw new Error(read.error);
    expect(read.lesson.title).toBe('');
    expect(read.lesson.hide).toEqual([]);
    // The lesson, the presentation and the visitor's image never ride in a stop.
    expect(read.lesson.stops[0]!.view).not.toMatch(/plan|present|lesson|imgdata/);
    expect(read.lesson.stops).toHaveLength(LESSON_LIMITS.stops - 5);
    expect(read.notices[0]).toMatch(/stop 1: it is not a stop; stop 2: it is not a stop; stop 3: it is not a stop; stop 4: it has no view; stop 5 \(“x+…”\): its caption is longer than 600 characters; stops 21–36: a lesson has at most 20\.$/);
  });

  it('a decompression bomb is cut at a few kilobytes, and only its stop is lost', () => {
    const zeros = deflateSync(new Uint8Array(1_000_000));
    const bomb = btoa(String.fromCharCode(...zeros)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const { state, notices } = openLink(`#plan=${plan}.${bomb}`);
    expect(openLessonOf(state)?.stops).toHaveLength(3);
    expect(notices.join(' ')).toMatch(/dropped stop 4: unreadable/);
  });
});

describe('lesson files', () => {
  it('round-trip as small JSON', () => {
    const text = lessonToFile(TEACHERS);
    expect(text.length).toBeLessThan(2000);
    expect(lessonFromFile(text)).toEqual({ lesson: canonical(TEACHERS), notices: [] });
  });

  it('refuse what is not a lesson file, with a reason', () => {
    expect(lessonFromFile('not json')).toEqual({ error: 'the file is not JSON' });
    expect(lessonFromFile('{"stops":[]}')).toEqual({ error: 'the file is not a lesson exported by this page' });
    expect(lessonFromFile(' '.repeat(LESSON_LIMITS.fileBytes + 1))).toMatchObject({ error: expect.stringMatching(/larger than 100 kB/) });
  });
});
