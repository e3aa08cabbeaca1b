import { create } from 'zustand';
import { LESSON_LIMITS, type Lesson, type LessonStop } from './lesson';
import type { HideableControl } from './viewState';

/** The lesson a teacher is making: kept outside the editor so it survives presentation mode and back. */
export interface LessonDraftState {
  lesson: Lesson;
  setTitle(title: string): void;
  addStop(stop: LessonStop): void;
  /** Moves a stop by one place (-1 up, +1 down); nothing at either end. */
  moveStop(index: number, by: -1 | 1): void;
  deleteStop(index: number): void;
  setHidden(control: HideableControl, hidden: boolean): void;
  replace(lesson: Lesson): void;
}

export const emptyLesson = (): Lesson => ({ title: '', hide: [], stops: [] });

export const useLessonDraft = create<LessonDraftState>()((set) => ({
  lesson: emptyLesson(),
  setTitle: (title) => set((s) => ({ lesson: { ...s.lesson, title: title.slice(0, LESSON_LIMITS.titleChars) } })),
  addStop: (stop) => set((s) => (s.lesson.stops.length >= LESSON_LIMITS.stops ? s : { lesson: { ...s.lesson, stops: [...s.lesson.stops, stop] } })),
  moveStop: (index, by) =>
    set((s) => {
      const to = index + by;
      if (to < 0 || to >= s.lesson.stops.length) return s;
      const stops = [...s.lesson.stops];
      [stops[index], stops[to]] = [stops[to]!, stops[index]!];
      return { lesson: { ...s.lesson, stops } };
    }),
  deleteStop: (index) => set((s) => ({ lesson: { ...s.lesson, stops: s.lesson.stops.filter((_, i) => i !== index) } })),
  setHidden: (control, hidden) => set((s) => ({ lesson: { ...s.lesson, hide: hidden ? [...new Set([...s.lesson.hide, control])] : s.lesson.hide.filter((c) => c !== control) } })),
  replace: (lesson) => set({ lesson }),
}));
