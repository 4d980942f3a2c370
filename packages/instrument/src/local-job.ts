import type { ThreadJob } from './thread/thread-protocol.js';

/** A job this instrument holds: assigned by the composer, not yet settled. */
export interface LocalJob extends ThreadJob {
  /** Run alone: set after a thread crashed in a batch, to find which job crashed it. */
  readonly alone?: boolean;
}
