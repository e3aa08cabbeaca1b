import type { BackendNote } from '../engine/events';

/** What one backend needs around its start; a backend with nothing special leaves it all out. */
export interface BackendPolicy {
  /** Sets the flags tfjs reads when the backend starts. */
  prepare?(): void | Promise<void>;
  /** Read once the backend has started. */
  describe?(): BackendNote | null;
  /** Calls back when the started backend reports its own loss. */
  watchForLoss?(onLost: (reason: string) => void): void;
}

/** tf.env().set in the app: a flag tfjs reads when a backend starts. */
export type SetFlag = (name: string, value: boolean | number) => void;
