import type { GridState } from '../core/engine/sampleGrid';
import { create } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { BackendName } from '../core/backend';
import type { FramePixels, MixedIn, Pixels } from '../core/engine/types';
import type { StepProfile } from '../core/engine/events';
import type { OwnModelInfo } from '../core/own/modelFile';
import { startingTraining, type TrainingState } from './training';
import { defaultViewState, ownTransformOf, restartsRun, startStep, withChange, viewSettings, type ViewSettings, type ViewState } from './viewState';

export interface Notice {
  id: number;
  level: 'info' | 'warning' | 'error';
  text: string;
  /** What the notice is about; notices of a topic go away when it no longer holds (a model that has loaded, an old link). */
  topic?: NoticeTopic;
}

export type NoticeTopic = 'link' | 'model' | 'backend' | 'image' | 'run' | 'lesson';

/** At most this many notices at once (the oldest go first), each at most NOTICE_CHARS long. */
export const MAX_NOTICES = 6;
export const NOTICE_CHARS = 400;

export interface ModelStatus {
  /** warming: a GPU backend builds the model's programs before the first step (gpuWarmUp.ts). */
  status: 'idle' | 'loading' | 'warming' | 'ready' | 'error';
  fraction: number;
  totalBytes: number;
  parameters: number;
  error: string | null;
  /** How long building the GPU programs took (ms); null or absent where nothing was built. */
  warmUpMs?: number | null;
}

export interface BackendStatus {
  name: BackendName;
  detail: string;
  software: boolean;
  /** Why a backend other than the first choice is in use, if one is. */
  reason: string | null;
  /** WASM: how many threads it runs (why that many is in detail). */
  threads?: number | null;
}

export interface AppState {
  /** What a link reproduces (see viewState.ts). */
  view: ViewState;
  /** Set while a visitor's own image is shown; such images never go into links. */
  localImage: string | null;
  original: Pixels | null;
  /** The forward process D(x0, t) at a few steps 0..T, for the strip; null until computed. */
  forwardStrip: { t: number; pixels: Pixels }[] | null;
  /** Your own transform: why it is a poor one to learn, read off the picture with the strip; null when it is not. */
  transformWarning: string | null;
  /** The picture the degradation mixes in for this seed (animorphosis); null for the others or until known. */
  mixedIn: MixedIn | null;
  /** Generating: samples of the seeds around the current one (sampleGridSeeds.ts), as far as computed; null before asked for. */
  sampleGrid: { key: string; seeds: number[]; state: GridState | null; error: string | null } | null;
  /** Sampler frames computed so far for the current image, degradation and t. */
  frames: FramePixels[];
  runDone: boolean;
  /** Tensors and bytes the worker's backend holds between runs (a leak shows as growth). */
  workerMemory: { numTensors: number; numBytes: number } | null;
  msPerStep: number | null;
  /** Where each step of the current run spent its time (runLoop.ts), for the speed figures and the bench. */
  stepProfiles: StepProfile[];
  /** The page's start, phase by phase (ms from the page's own start), once the first step is shown. */
  startup: { phase: string; ms: number }[] | null;
  playing: boolean;
  /**
   * The frame shown follows the newest computed one, so a run plays as it is computed and ends on
   * its result. Any move of the timeline hands it to the visitor.
   */
  following: boolean;
  /** Whether new runs are followed: not when the visitor prefers reduced motion (main.tsx decides at start). */
  autoFollow: boolean;
  /**
   * Times playback, once flowing, reached a frame not yet computed since Play was last pressed;
   * `slowSteps`: those of them where the worker ran slower than the plan that started playback
   * allowed (the machine's load), as against the plan itself starting too early.
   */
  playbackStalls: { total: number; slowSteps: number };
  /** Play was pressed and waits for frames (seconds to go; null while the step time is unknown). */
  buffering: { seconds: number | null } | null;
  model: ModelStatus;
  backend: BackendStatus | null;
  notices: Notice[];
  /** Your own transform: the restorer training (or trained last); null before Train is pressed. */
  training: TrainingState | null;
  /** The newest pause / resume / stop, numbered so that pressing one twice sends it twice. */
  trainingCommand: { action: 'pause' | 'resume' | 'stop'; n: number } | null;
  /** A restorer file the visitor opened for their own transform (its name and what it says of itself). */
  openedModel: { name: string; info: OwnModelInfo } | null;
  /** Counts presses of "Download the restorer" (the worker packs the file). */
  modelDownloads: number;
  downloadOwnModel(): void;
  /** Why the current run stopped at its input (your own transform without a restorer yet); null otherwise. */
  runMissing: string | null;
  /** Trains a restorer for the transform in the view (a new training replaces the last). */
  train(): void;
  controlTraining(action: 'pause' | 'resume' | 'stop'): void;

  setView(change: Partial<ViewState>): void;
  /** Changes of input restart the samplers at frame 0. */
  chooseSample(id: string): void;
  setDegradation(id: ViewState['degradation']): void;
  setStep(t: number): void;
  setSeed(seed: number): void;
  setMode(mode: ViewState['mode']): void;
  play(): void;
  pause(): void;
  stepForward(): void;
  stepBack(): void;
  /** Shows a frame (scrubber, chart, keys); never restarts the computation. */
  seek(frame: number): void;
  reset(): void;
  notify(level: Notice['level'], text: string, topic?: NoticeTopic): void;
  clearNotices(topic: NoticeTopic): void;
  dismiss(id: number): void;
  /** Asks for the model again after a failed or stalled download. */
  retryModel(): void;
  modelRetries: number;
}

let noticeId = 0;

/** The one rule for every change of the view: a new run or picture starts at frame 0, not playing. */
function changeView(s: AppState, change: Partial<ViewState>): Pick<AppState, 'view'> & Partial<Pick<AppState, 'playing' | 'following'>> {
  const view = withChange(s.view, change);
  return restartsRun(s.view, view) ? { view: withChange(view, { frame: 0 }), playing: false, following: s.autoFollow } : { view };
}

export const useAppStore = create<AppState>()((set, get) => ({
  view: defaultViewState(),
  localImage: null,
  original: null,
  forwardStrip: null,
  transformWarning: null,
  mixedIn: null,
  sampleGrid: null,
  frames: [],
  runDone: false,
  workerMemory: null,
  msPerStep: null,
  stepProfiles: [],
  startup: null,
  playing: false,
  following: false,
  autoFollow: false,
  playbackStalls: { total: 0, slowSteps: 0 },
  buffering: null,
  model: { status: 'idle', fraction: 0, totalBytes: 0, parameters: 0, error: null },
  backend: null,
  notices: [],
  training: null,
  trainingCommand: null,
  runMissing: null,
  openedModel: null,
  modelDownloads: 0,
  downloadOwnModel: () => set((s) => ({ modelDownloads: s.modelDownloads + 1 })),
  train: () => set((s) => ({ training: startingTraining((s.training?.trainingId ?? 0) + 1, s.view.own, s.view.loss) })),
  controlTraining: (action) => set((s) => ({ trainingCommand: { action, n: (s.trainingCommand?.n ?? 0) + 1 } })),

  setView: (change) => set((s) => changeView(s, change)),
  // Also from the visitor's own picture (outside the view) back to the same gallery one: a new picture all the same.
  chooseSample: (id) => set((s) => ({ view: withChange(s.view, { image: id, imageData: '', frame: 0 }), localImage: null, playing: false, following: s.autoFollow })),
  // Each degradation has its own T: start a new one half way, like the default view.
  setDegradation: (id) => set((s) => changeView(s, { degradation: id, t: startStep(id) })),
  setStep: (t) => set((s) => changeView(s, { t })),
  setSeed: (seed) => set((s) => changeView(s, { seed })),
  // Generation is pinned to its T by withChange; back in restore mode, the degradation's start step; your own transform half way.
  setMode: (mode) => set((s) => changeView(s, { mode, t: mode === 'own' ? Math.max(1, Math.floor(ownTransformOf(s.view).T / 2)) : startStep(s.view.degradation) })),
  play: () => {
    const { view } = get();
    // Playing from the last frame starts over, as a video player does.
    set({ playing: true, following: false, view: view.frame >= view.steps ? withChange(view, { frame: 0 }) : view });
  },
  pause: () => set({ playing: false, following: false }),
  stepForward: () => {
    const { view, frames } = get();
    if (view.frame < view.steps && frames[view.frame + 1]) set({ view: withChange(view, { frame: view.frame + 1 }), playing: false, following: false });
  },
  stepBack: () => set((s) => ({ view: withChange(s.view, { frame: s.view.frame - 1 }), playing: false, following: false })),
  seek: (frame) => set((s) => ({ view: withChange(s.view, { frame }), playing: false, following: false })),
  reset: () => set((s) => ({ view: withChange(s.view, { frame: 0 }), playing: false, following: false })),
  notify: (level, text, topic) =>
    set((s) => {
      const cut = text.length > NOTICE_CHARS ? `${text.slice(0, NOTICE_CHARS - 1)}…` : text;
      if (s.notices.some((n) => n.text === cut)) return s;
      return { notices: [...s.notices, { id: ++noticeId, level, text: cut, ...(topic ? { topic } : {}) }].slice(-MAX_NOTICES) };
    }),
  clearNotices: (topic) => set((s) => ({ notices: s.notices.filter((n) => n.topic !== topic) })),
  modelRetries: 0,
  retryModel: () => set((s) => ({ modelRetries: s.modelRetries + 1, model: { ...s.model, status: 'loading', error: null } })),
  dismiss: (id) => set((s) => ({ notices: s.notices.filter((n) => n.id !== id) })),
}));

export type AppStore = typeof useAppStore;


/**
 * The view without the frame shown, for the parts that do not follow playback: the frame changes
 * several times a second while a run plays, and every part that reads the whole view would
 * re-render with it (on a phone-class CPU, most of each frame's main-thread time).
 */
export function useViewSettings(): ViewSettings {
  return useAppStore(useShallow((s) => viewSettings(s.view)));
}
