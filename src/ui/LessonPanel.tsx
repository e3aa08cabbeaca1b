import { useEffect, useState } from 'react';
import { BUILT_IN_LESSON, leftStop, openLessonOf, viewOfStop, type Lesson } from '../state/lesson';
import { useAppStore, useViewSettings } from '../state/store';

/** Shows stop `index` (from 1) of a lesson: its view, and its own notices (a setting this page lacks). */
export function goToStop(lesson: Lesson, plan: string, index: number): void {
  const store = useAppStore.getState();
  const { state, notices } = viewOfStop(store.view, lesson, plan, index);
  // A stop shows a gallery picture: the visitor's own one (never in a link) gives way.
  if (store.localImage !== null) useAppStore.setState({ localImage: null });
  store.setView(state);
  store.clearNotices('lesson');
  for (const text of notices) store.notify('warning', text, 'lesson');
}

/** Closes the lesson; the view stays, and the controls only the lesson hid come back. */
export function closeLesson(): void {
  const store = useAppStore.getState();
  const lesson = openLessonOf(store.view);
  store.setView({ lesson: 0, plan: '', hide: store.view.hide.filter((c) => !lesson?.hide.includes(c)) });
  store.clearNotices('lesson');
}

/** Opens the built-in lesson at its first stop. */
export function LessonButton() {
  const open = useAppStore((s) => s.view.lesson > 0);
  if (open) return null;
  return (
    <button type="button" className="lesson-start" onClick={() => goToStop(BUILT_IN_LESSON, '', 1)} data-testid="lesson-start" title="A guided tour of cold diffusion in eight stops, each a view of this page">
      Lesson
    </button>
  );
}

/** Keys that move between stops: ← → and a presentation clicker's PageUp / PageDown. */
const KEY_STEPS: Record<string, -1 | 1> = { ArrowLeft: -1, PageUp: -1, ArrowRight: 1, PageDown: 1 };

/**
 * The open lesson: where it is (a progress marker), the stop's caption and question, Reveal, and
 * Back / Next. While it is open, ← → and PageUp / PageDown move between stops (the timeline's
 * scrubber still steps frames with ← → when it has the focus).
 */
export function LessonPanel() {
  const view = useViewSettings();
  const lesson = openLessonOf(view);
  const count = lesson?.stops.length ?? 0;
  const index = Math.min(view.lesson, count);
  const [revealed, setRevealed] = useState<string | null>(null);
  const stopKey = `${view.plan}#${index}`;

  useEffect(() => {
    if (!lesson || index === 0) return;
    const onKey = (e: KeyboardEvent) => {
      const by = KEY_STEPS[e.key];
      const target = e.target as HTMLElement | null;
      // Typing and sliders keep their keys; buttons do not use these, so a clicked Next still hears the clicker.
      if (by === undefined || e.ctrlKey || e.metaKey || e.altKey || e.shiftKey || target?.closest('input, select, textarea, [contenteditable="true"]')) return;
      const to = index + by;
      // Captured before the page's own shortcuts, which would otherwise also step the frame.
      e.preventDefault();
      e.stopPropagation();
      if (to >= 1 && to <= count) goToStop(lesson, view.plan, to);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [lesson, index, count, view.plan]);

  if (!lesson || index === 0) return null;
  const stop = lesson.stops[index - 1]!;
  const go = (to: number) => goToStop(lesson, view.plan, to);
  const heading = stop.title ?? `Stop ${index}`;
  return (
    <section className="lesson-panel" aria-label={`Lesson: ${lesson.title || 'lesson'}`} data-testid="lesson" data-stop={index} data-stops={count}>
      <div className="lesson-head">
        <p className="lesson-progress" data-testid="lesson-progress">
          {lesson.title && <span className="lesson-title">{lesson.title} · </span>}
          Stop {index} of {count}
        </p>
        <ol className="lesson-marker" aria-label="Stops of the lesson">
          {lesson.stops.map((s, i) => (
            <li key={i}>
              <button type="button" aria-current={i + 1 === index ? 'step' : undefined} aria-label={`Stop ${i + 1}: ${s.title ?? s.caption.slice(0, 60)}`} title={s.title ?? s.caption.slice(0, 60)} onClick={() => go(i + 1)} data-testid={`lesson-dot-${i + 1}`}>
                <span aria-hidden="true" />
              </button>
            </li>
          ))}
        </ol>
      </div>
      <div className="lesson-body">
        <h2 data-testid="lesson-heading">{heading}</h2>
        <p className="lesson-caption" data-testid="lesson-caption">
          {stop.caption}
        </p>
        {stop.question && (
          <div className="lesson-question" aria-live="polite">
            <p data-testid="lesson-question">
              <strong>Question:</strong> {stop.question}
            </p>
            {stop.answer &&
              (revealed === stopKey ? (
                <p className="lesson-answer" data-testid="lesson-answer">
                  <strong>Answer:</strong> {stop.answer}
                </p>
              ) : (
                <button type="button" className="primary" onClick={() => setRevealed(stopKey)} data-testid="lesson-reveal">
                  Reveal
                </button>
              ))}
          </div>
        )}
      </div>
      <div className="lesson-nav">
        <button type="button" onClick={() => go(index - 1)} disabled={index <= 1} data-testid="lesson-back">
          ← Back
        </button>
        <button type="button" className="primary" onClick={() => go(index + 1)} disabled={index >= count} data-testid="lesson-next">
          Next →
        </button>
        {leftStop(view, lesson, index) && (
          <button type="button" onClick={() => go(index)} data-testid="lesson-return" title="You changed the view: show this stop's view again">
            This stop&apos;s view
          </button>
        )}
        <button type="button" onClick={closeLesson} data-testid="lesson-close">
          Close lesson
        </button>
      </div>
    </section>
  );
}
