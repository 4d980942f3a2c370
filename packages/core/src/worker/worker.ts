import { WorkerContextError } from '../errors/job-errors.js';
import type { AnyWorkspace, ParamsOf, ResultOf, ScriptName } from '../workspace/types.js';
import { type ActiveJob, getActiveJob } from './active-job.js';

/**
 * The job-script helper of the imperative style: build it at the top of the script, read `params`,
 * and call `resolve` (or `reject`) once. The script runs once per job. Typed with the workspace:
 * `new Worker<typeof workspace, 'add.js'>()`.
 *
 * ```js
 * const worker = new Worker();
 * worker.resolve(worker.params.a + worker.params.b);
 * ```
 */
export class Worker<W extends AnyWorkspace = AnyWorkspace, K extends ScriptName<W> = ScriptName<W>> {
  readonly #job: ActiveJob;

  /** Throws `WorkerContextError` outside a job script run by an Instrument. */
  constructor() {
    const job = getActiveJob();
    if (job === undefined) throw new WorkerContextError();
    job.claimed = true;
    this.#job = job;
  }

  /** The params given to `addJob`. */
  get params(): ParamsOf<W, K> {
    return this.#job.params as ParamsOf<W, K>;
  }

  /** The job's id. */
  get jobId(): string {
    return this.#job.id;
  }

  /** 1 for the first attempt, 2 for the first retry… */
  get attempt(): number {
    return this.#job.attempt;
  }

  /** Aborted when the job is cancelled or times out. */
  get signal(): AbortSignal {
    return this.#job.signal;
  }

  /** Settles the job with its result; later calls are ignored. */
  resolve(result: ResultOf<W, K>): void {
    this.#job.resolve(result);
  }

  /** Settles the job with an error (its name, message, code, cause and stack reach the consumer). */
  reject(error: unknown): void {
    this.#job.reject(error);
  }

  /** Reports a progress value (any JSON value) to the consumer. */
  progress(value: unknown): void {
    this.#job.progress(value);
  }
}
