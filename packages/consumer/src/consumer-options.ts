import type { Logger } from '@orchestra/core';

/** Options of {@link Consumer}. */
export interface ConsumerOptions {
  /** This consumer's id: its mailbox on the network (default: a new unique id). */
  readonly id?: string;
  /** Largest params a job may carry, JSON-encoded, in bytes (default 1 MiB). */
  readonly maxParamsBytes?: number;
  /** Where problems are reported (default: the console). */
  readonly logger?: Logger;
  /**
   * Most jobs this consumer keeps unsettled at once (default 100 000). Past it, `addJob` waits for a
   * result to settle before sending, or rejects with `BackpressureError` when called with
   * `{ wait: false }`. This bounds the memory a flood of `addJob` calls can take here, in the
   * composer's queue and in the network.
   */
  readonly maxPending?: number;
  /**
   * How long results are kept in the network for this consumer when nobody reads them (it died,
   * and may start again with the same id), in ms; the time restarts with each result sent to it.
   * Default one hour. A consumer started again with the same `id` within that time receives them:
   * `result(jobId)` gives each one.
   */
  readonly resultTtlMs?: number;
}

/** Counters a consumer keeps, for monitoring. */
export interface ConsumerStats {
  /** Jobs added whose result has not settled yet. */
  readonly pending: number;
  /** `addJob` calls waiting for room under `maxPending`. */
  readonly waiting: number;
  /** Messages read from the network that failed validation and were set aside. */
  readonly invalidMessages: number;
  /** Messages refused because they came from a composer that had lost its lease. */
  readonly staleMessages: number;
  /** Settlements of jobs already settled here, dropped (a job that ran twice settles once). */
  readonly duplicateSettlements: number;
  /** Results kept for jobs this consumer was not waiting for (added by an earlier process with its id). */
  readonly keptResults: number;
}

/** Options of `consumer.result(jobId, options)`. */
export interface ResultOptions {
  /**
   * Longest to wait, in ms: an integer from 1 to 2³¹ − 1. Past it the wait rejects with
   * `ResultTimeoutError`; the job goes on, and a later `result(jobId)` still gets its result.
   * Default: no limit.
   */
  readonly timeout?: number;
}
