import type { AnyWorkspace, ParamsOf, ResultOf, ScriptName } from '../workspace/types.js';

/** What a handler-style job receives beside its params. */
export interface JobContext {
  /** The job's id (as in `job.id` at the consumer). */
  readonly jobId: string;
  /** 1 for the first attempt, 2 for the first retry… */
  readonly attempt: number;
  /** Aborted when the job is cancelled or times out: pass it on to fetch, streams, timers. */
  readonly signal: AbortSignal;
  /** Reports a progress value (any JSON value) to the consumer. */
  progress(value: unknown): void;
}

/**
 * A handler-style job script: `export default async (params, ctx) => result`, typed with the
 * workspace as in `const add: JobHandler<typeof workspace, 'add.js'> = async ({ a, b }) => a + b`.
 */
export type JobHandler<W extends AnyWorkspace = AnyWorkspace, K extends ScriptName<W> = ScriptName<W>> = (
  params: ParamsOf<W, K>,
  ctx: JobContext,
) => ResultOf<W, K> | Promise<ResultOf<W, K>>;
