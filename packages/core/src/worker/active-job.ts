import type { JobContext } from './job-context.js';

/**
 * The link between the thread runtime (in `@orchestra/instrument`) and the `Worker` helper that a
 * job script builds. It lives on `globalThis` under a `Symbol.for` key because the script may load a
 * different copy of `@orchestra/core` than the instrument does (its own `node_modules`).
 */
export interface ActiveJob {
  /** The job's id. */
  readonly id: string;
  /** 1 for the first attempt. */
  readonly attempt: number;
  /** The job's params, decoded. */
  readonly params: unknown;
  /** Aborted when the job is cancelled or times out. */
  readonly signal: AbortSignal;
  /** Set once a `Worker` took this job (imperative style). */
  claimed: boolean;
  /**
   * Set by a library that turns the script into a handler while it is evaluated (as
   * `@orchestra/factory` does with `new ThreadFactory(spec)`): the thread then runs the script
   * like a handler-style one, loaded once per thread, with these hooks.
   */
  registered?: RegisteredHandler;
  /** Settles the job with a result. */
  readonly resolve: (result: unknown) => void;
  /** Settles the job with an error. */
  readonly reject: (error: unknown) => void;
  /** Reports a progress value to the consumer. */
  readonly progress: (value: unknown) => void;
}

/** A handler registered while a script was evaluated; see {@link ActiveJob.registered}. */
export interface RegisteredHandler {
  readonly handler: (params: unknown, ctx: JobContext) => unknown;
  /** Runs once per thread before its first job of this script. */
  readonly startup?: (() => unknown) | undefined;
  /** Runs once per thread when the instrument closes. */
  readonly finish?: (() => unknown) | undefined;
}

const key = Symbol.for('orchestra.active-job');
type Holder = { [key]?: ActiveJob | undefined };

/** The job whose script is being evaluated right now in this thread, if any. */
export function getActiveJob(): ActiveJob | undefined {
  return (globalThis as Holder)[key];
}

/** Set by the thread runtime around the evaluation of an imperative script. */
export function setActiveJob(job: ActiveJob | undefined): void {
  (globalThis as Holder)[key] = job;
}
