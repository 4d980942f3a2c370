import type { Release } from '@orchestra/core';
import type { Backoff } from '@orchestra/core/internal';

/**
 * The hold on one submit message: it stays unacknowledged in the network until every job it
 * brought has settled, so a composer that dies leaves its unsettled jobs to the next one.
 */
export interface SubmitHold {
  /** Jobs of the message not yet settled. */
  remaining: number;
  readonly release: Release;
}

/** Where a job is: in the queue, waiting out a retry delay, or handed to an instrument. */
export type JobState = 'queued' | 'delayed' | 'running';

/** A job the composer is responsible for, from submission until its final settlement. */
export interface JobRecord {
  readonly id: string;
  readonly script: string;
  readonly params: string | undefined;
  readonly priority: number;
  /** The consumer that added it, which gets its settlement. */
  readonly consumer: string;
  /** How long the consumer's mailbox keeps its settlement unread, as the consumer asked. */
  readonly resultTtlMs: number | undefined;
  /** Runs that may fail before the job fails for good. */
  readonly attempts: number;
  readonly backoff: Backoff | undefined;
  /** Longest a run may take, in ms. */
  readonly timeout: number | undefined;
  /** The run now queued or running; a settlement for any other run is stale. Grows on every new run. */
  attempt: number;
  /** Runs that failed (counted against `attempts`). */
  failures: number;
  /** Runs lost with their instrument (counted against the composer's `maxLostRuns`). */
  lostRuns: number;
  state: JobState;
  /** The instrument running it, if any. */
  instrument: string | undefined;
  /** The submit message it came in, held until its last job settles. */
  hold: SubmitHold;
  /** Cancels the retry delay's timer, while delayed. */
  cancelDelay: (() => void) | undefined;
}

/** An instrument as the composer sees it. */
export interface InstrumentRecord {
  readonly id: string;
  threads: number;
  /** How many more jobs it may be sent. */
  credits: number;
  /** Threads running jobs, as it last reported (undefined from an instrument that does not report it). */
  busy: number | undefined;
  /** Ids of the jobs it holds. */
  readonly held: Set<string>;
  /** When it was last heard from (scheduler time). */
  lastSeen: number;
  /** The ids it held when its last heartbeat was read: assignments old enough to have reached it. */
  heldAtLastBeat: ReadonlySet<string>;
  /** Heartbeats in a row in which it was idle while the composer believed it owed work (see `InstrumentRegistry.owesWork`). */
  idleBeats: number;
  /** Since when those heartbeats have said so (scheduler time), or undefined. */
  owedSince: number | undefined;
}
