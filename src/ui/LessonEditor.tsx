import { useMemo, useState } from 'react';
import { decodeLesson, encodeLesson, LESSON_LIMITS, lessonFromFile, lessonToFile, stopFragment, type Lesson } from '../state/lesson';
import { useLessonDraft } from '../state/lessonDraft';
import { useAppStore, useViewSettings } from '../state/store';
import { HIDEABLE_CONTROLS, parseLink } from '../state/viewState';
import { goToStop } from './LessonPanel';
import { presentationTitle } from './presentationTitle';

/** What a stop shows, in the words of the presentation title. */
const describeView = (fragment: string) => presentationTitle(parseLink(`#${fragment}`).state).replace(/^Cold diffusion: /, '');

/** The link that opens a lesson at its first stop, on this page's address. */
function lessonLink(plan: string): string {
  const url = new URL(window.location.href);
  url.hash = `plan=${plan}`;
  return url.href;
}

/**
 * "Make a lesson": the teacher sets up a view, writes what to look at, and adds it as a stop; stops
 * can be reordered and deleted, controls hidden from the class, and the lesson copied as one link or
 * exported and imported as a small JSON file. Its body is made when first opened, then kept (what was
 * typed stays): closed, it followed every frame of a run (the view it describes changes with each),
 * about 80 ms of a phone-class CPU's first seconds (issue 28).
 */
export function LessonEditor() {
  const [opened, setOpened] = useState(false);
  return (
    <details className="lesson-editor" data-testid="lesson-editor" onToggle={(e) => e.currentTarget.open && setOpened(true)}>
      <summary>Make a lesson</summary>
      {opened && <LessonEditorBody />}
    </details>
  );
}

function LessonEditorBody() {
  const view = useViewSettings();
  const draft = useLessonDraft();
  const [caption, setCaption] = useState('');
  const [question, setQuestion] = useState('');
  const [answer, setAnswer] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const plan = useMemo(() => encodeLesson(draft.lesson), [draft.lesson]);
  const tooLong = plan.length > LESSON_LIMITS.planChars;
  const full = draft.lesson.stops.length >= LESSON_LIMITS.stops;
  const empty = draft.lesson.stops.length === 0;
  const link = lessonLink(plan);

  const addStop = () => {
    draft.addStop({ view: stopFragment(useAppStore.getState().view), caption: caption.trim(), ...(question.trim() ? { question: question.trim() } : {}), ...(question.trim() && answer.trim() ? { answer: answer.trim() } : {}) });
    setCaption('');
    setQuestion('');
    setAnswer('');
    setMessage(`Stop ${draft.lesson.stops.length + 1} added.`);
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setMessage('Lesson link copied.');
    } catch {
      setMessage('Could not copy: select the link above and copy it.');
    }
  };
  const exportFile = () => {
    const url = URL.createObjectURL(new Blob([lessonToFile(draft.lesson)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `${(draft.lesson.title || 'lesson').replace(/[^\w-]+/g, '-').slice(0, 40)}.lesson.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };
  const importFile = async (file: File | undefined) => {
    if (!file) return;
    if (file.size > LESSON_LIMITS.fileBytes) return setMessage(`Not imported: the file is larger than ${LESSON_LIMITS.fileBytes / 1000} kB; a lesson file is a few kB.`);
    const read = lessonFromFile(await file.text());
    if ('error' in read) return setMessage(`Not imported: ${read.error}.`);
    draft.replace(read.lesson);
    setMessage([`Imported ${read.lesson.stops.length} stop${read.lesson.stops.length === 1 ? '' : 's'}.`, ...read.notices].join(' '));
  };
  const loadOpen = () => {
    const read = decodeLesson(view.plan);
    draft.replace(read.lesson);
    setMessage(`Loaded the open lesson: ${read.lesson.stops.length} stops.`);
  };
  const open = (lesson: Lesson) => goToStop(lesson, encodeLesson(lesson), 1);

  return (
    <>
      <p className="hint">
        Set up a view, say what to look at, and add it as a stop. The whole lesson travels in one link (compressed, at most {LESSON_LIMITS.stops} stops and{' '}
        {LESSON_LIMITS.planChars.toLocaleString('en')} characters), which opens at its first stop; a gallery picture is kept, your own picture is not.
      </p>
      <div className="lesson-editor-grid">
        <fieldset className="lesson-new-stop">
          <legend>New stop: this view</legend>
          <p className="hint" data-testid="lesson-this-view">
            {describeView(stopFragment(view))}
          </p>
          <label>
            Caption
            <textarea value={caption} maxLength={LESSON_LIMITS.captionChars} rows={3} onChange={(e) => setCaption(e.target.value)} data-testid="lesson-caption-input" />
          </label>
          <label>
            Question (optional)
            <input type="text" value={question} maxLength={LESSON_LIMITS.questionChars} onChange={(e) => setQuestion(e.target.value)} data-testid="lesson-question-input" />
          </label>
          <label>
            Answer, shown on Reveal (optional)
            <input type="text" value={answer} maxLength={LESSON_LIMITS.answerChars} disabled={!question.trim()} onChange={(e) => setAnswer(e.target.value)} data-testid="lesson-answer-input" />
          </label>
          <button type="button" className="primary" onClick={addStop} disabled={!caption.trim() || full} data-testid="lesson-add-stop">
            Add this view as a stop
          </button>
          {full && <small>A lesson has at most {LESSON_LIMITS.stops} stops.</small>}
        </fieldset>
        <div className="lesson-draft">
          <label>
            Lesson title
            <input type="text" value={draft.lesson.title} maxLength={LESSON_LIMITS.titleChars} onChange={(e) => draft.setTitle(e.target.value)} data-testid="lesson-title-input" />
          </label>
          {empty ? (
            <p className="hint">No stops yet.</p>
          ) : (
            <ol className="lesson-stops" data-testid="lesson-stops">
              {draft.lesson.stops.map((stop, i) => (
                <li key={`${i}-${stop.view}-${stop.caption}`} data-testid="lesson-stop">
                  <div className="lesson-stop-text">
                    <span>{stop.caption}</span>
                    <small>
                      {describeView(stop.view)}
                      {stop.question ? ` · asks: ${stop.question}` : ''}
                    </small>
                  </div>
                  <div className="lesson-stop-actions">
                    <button type="button" onClick={() => useAppStore.getState().setView({ ...parseLink(`#${stop.view}`).state, backend: view.backend, hide: view.hide })} aria-label={`Show the view of stop ${i + 1}`}>
                      Show
                    </button>
                    <button type="button" onClick={() => draft.moveStop(i, -1)} disabled={i === 0} aria-label={`Move stop ${i + 1} up`} data-testid={`lesson-up-${i + 1}`}>
                      ↑
                    </button>
                    <button type="button" onClick={() => draft.moveStop(i, 1)} disabled={i === draft.lesson.stops.length - 1} aria-label={`Move stop ${i + 1} down`} data-testid={`lesson-down-${i + 1}`}>
                      ↓
                    </button>
                    <button type="button" onClick={() => draft.deleteStop(i)} aria-label={`Delete stop ${i + 1}`} data-testid={`lesson-delete-${i + 1}`}>
                      Delete
                    </button>
                  </div>
                </li>
              ))}
            </ol>
          )}
          <fieldset className="lesson-hide">
            <legend>Hide these controls from the class</legend>
            {HIDEABLE_CONTROLS.map((c) => (
              <label key={c}>
                <input type="checkbox" checked={draft.lesson.hide.includes(c)} onChange={(e) => draft.setHidden(c, e.target.checked)} data-testid={`lesson-hide-${c}`} />
                {c}
              </label>
            ))}
          </fieldset>
        </div>
      </div>
      <label className="lesson-link">
        Lesson link{' '}
        <small data-testid="lesson-size" className={tooLong ? 'over' : undefined}>
          ({plan.length.toLocaleString('en')} of {LESSON_LIMITS.planChars.toLocaleString('en')} characters{tooLong ? ': too long, shorten the captions' : ''})
        </small>
        <input type="text" readOnly value={empty ? '' : link} onFocus={(e) => e.target.select()} data-testid="lesson-link" />
      </label>
      <div className="lesson-editor-actions">
        <button type="button" onClick={() => void copy()} disabled={empty || tooLong} data-testid="lesson-copy">
          Copy lesson link
        </button>
        <button type="button" onClick={() => open(draft.lesson)} disabled={empty || tooLong} data-testid="lesson-open">
          Open the lesson
        </button>
        <button type="button" onClick={exportFile} disabled={empty} data-testid="lesson-export">
          Export (JSON)
        </button>
        <label className="file-button">
          Import (JSON)
          <input type="file" accept="application/json,.json" onChange={(e) => void importFile(e.target.files?.[0])} data-testid="lesson-import" />
        </label>
        {view.plan !== '' && (
          <button type="button" onClick={loadOpen} data-testid="lesson-load-open">
            Edit the open lesson
          </button>
        )}
      </div>
      {message && (
        <p className="hint" role="status" data-testid="lesson-editor-message">
          {message}
        </p>
      )}
    </>
  );
}
