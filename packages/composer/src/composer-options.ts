import type { Logger } from '@orchestra/core';
/** Options of {@link Composer}. */
export interface ComposerOptions {
  /** This composer's id, the holder name of its lease (default: a new unique id). */
  readonly id?: string;
  /**
   * How long the composer lease lasts unless renewed, in ms (default 5 000). A standby takes over
   * within about this long after the acting composer dies; a composer cut off for longer stops.
   */
  readonly leaseMs?: number;
  /**
   * How long an instrument may stay silent (instruments send a heartbeat every second) before the
   * jobs it holds are run elsewhere, in ms (default 5 000).
   */
  readonly instrumentLeaseMs?: number;
  /**
   * How many times a job's run may be lost with its instrument (killed, frozen, cut off) before the
   * job fails with `InstrumentLostError` rather than run again: a job that kills whatever runs it
   * must not loop forever (default 5).
   */
  readonly maxLostRuns?: number;
  /** Where problems are reported (default: the console). */
  readonly logger?: Logger;
}

/** Counters a composer keeps, for monitoring. */
export interface ComposerStats {
  /** True while this composer holds the lease and does the work; false while it stands by. */
  readonly acting: boolean;
  /** Its lease epoch (0 before it first acted). */
  readonly epoch: number;
  readonly instruments: number;
  readonly threads: number;
  /** Jobs waiting to run: in the queue, or waiting out a retry delay (as `orchestra status` counts them). */
  readonly queued: number;
  /** Of the queued jobs, those waiting out a retry delay. */
  readonly delayed: number;
  /** Jobs handed to instruments and not settled yet. */
  readonly running: number;
  /** Jobs settled since start: `done + failed`. */
  readonly settled: number;
  /** Jobs that succeeded since start. */
  readonly done: number;
  /** Jobs that failed since start (cancelled ones included). */
  readonly failed: number;
  /** Runs that failed and were tried again. */
  readonly retried: number;
  /** Runs lost with their instrument and run again. */
  readonly lostRuns: number;
  /** Instruments given up on after staying silent past `instrumentLeaseMs`. */
  readonly lostInstruments: number;
  /** Jobs settled per second over the last few (about 5) seconds. */
  readonly jobsPerSecond: number;
  /** Messages read from the network that failed validation and were set aside. */
  readonly invalidMessages: number;
  /** Settlements dropped as late or duplicate (an older attempt, or an instrument that no longer held the job). */
  readonly droppedSettlements: number;
  /**
   * Times its lease lapsed or was lost (its process stalled, or Redis lost the key) and came back
   * to it, no other composer having acted meanwhile, so it kept its queue.
   */
  readonly leaseResumes: number;
}
