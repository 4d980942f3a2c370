import type { SerializedError } from '@orchestra/core/internal';
import type { ThreadJob } from './thread/thread-protocol.js';

/** A job this instrument holds: assigned by the composer, not yet settled. */
export interface LocalJob extends ThreadJob {
  /** Run alone: jobs with a timeout (so ending their thread ends nothing else), and after a thread crashed in a batch, to find which job crashed it. */
  readonly alone?: boolean;
}

/** One Piscina task in flight: its jobs, and how to end its thread. */
export interface BatchRun {
  readonly jobs: readonly LocalJob[];
  /** Aborting it ends the batch's thread (or drops the batch if it has not started). */
  readonly controller: AbortController;
  /** Jobs of the batch told to stop, with the error that settles each. */
  readonly stopped: Map<string, SerializedError>;
  /** Timers of the batch: timeouts of its jobs, grace periods after a stop. */
  readonly timers: NodeJS.Timeout[];
  /** Set when the instrument closes past its grace period: its jobs are handed back, not run again here. */
  handBack: boolean;
}
