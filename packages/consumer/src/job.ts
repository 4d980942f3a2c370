/** A job as the network accepted it. */
export interface Job<Script extends string = string> {
  /** The job's id, unique across the network. */
  readonly id: string;
  /** The script it runs, relative to the workspace. */
  readonly script: Script;
  /** The id of the consumer that added it. */
  readonly consumer: string;
}

/** What `addJob` resolves once the network holds the job. */
export interface AddedJob<Script extends string, Result> {
  readonly job: Job<Script>;
  /**
   * Settles exactly once: with the script's result, or with an error that keeps its name, message,
   * code, cause and stack (`JobError` for the job's own errors, an Orchestra error class otherwise).
   * It never counts as an unhandled rejection if you do not await it.
   */
  readonly result: Promise<Result>;
}

/** Per-job options of `addJob`. */
export interface JobOptions {
  /** Higher runs sooner; jobs of equal priority run first in, first out. An integer, default 0. */
  readonly priority?: number;
  /** Called with each progress value the job reports (`worker.progress(v)` or `ctx.progress(v)`). */
  readonly onProgress?: (value: unknown) => void;
  /**
   * When the consumer already has `maxPending` unsettled jobs: `true` (the default) waits for room,
   * `false` rejects at once with `BackpressureError`, sending nothing.
   */
  readonly wait?: boolean;
  /**
   * How many runs may fail before the job fails for good: an integer from 1 (the default) to 100.
   * A run fails when the script throws, its thread crashes or it passes its `timeout`; refusals
   * (bad params, an unknown script, a cancellation) are never retried. The final error is the last run's.
   */
  readonly attempts?: number;
  /**
   * How long to wait before each retry: a number of ms (fixed), or `{ type: 'fixed' | 'exponential', delay }`
   * (exponential doubles from `delay` each retry). Default: retry at once.
   */
  readonly backoff?: number | { readonly type: 'fixed' | 'exponential'; readonly delay: number };
  /**
   * Longest a run may take, in ms, from when it starts on a thread. Past it, the script's abort
   * `signal` fires; a script that does not stop within the instrument's grace period has its thread
   * ended. The run fails with `JobTimeoutError`.
   */
  readonly timeout?: number;
}
