/** How long one batch of jobs should keep a thread busy: long enough to amortise a message, short enough to keep latency and a crash's blast radius small. */
const TARGET_BATCH_MS = 4;

/**
 * Sizes batches and credits from how long jobs take here. Tiny jobs go out in batches of up to
 * `maxJobsPerTask` with enough credit to keep every thread fed; jobs of a few ms or more go one at a time
 * with a prefetch of one per thread, so slow work is not hoarded away from other instruments.
 */
export class BatchSizer {
  #perJobMs = TARGET_BATCH_MS;
  readonly #maxJobsPerTask: number;
  readonly #threads: number;

  constructor(threads: number, maxJobsPerTask: number) {
    this.#threads = threads;
    this.#maxJobsPerTask = maxJobsPerTask;
  }

  /** Feeds back how long a batch took in its thread. */
  record(elapsedMs: number, jobs: number): void {
    this.#perJobMs = this.#perJobMs * 0.7 + (elapsedMs / jobs) * 0.3;
  }

  /** Jobs per batch, given how many are queued: never so many that a thread idles while another has a backlog. */
  batchSize(queued: number): number {
    return Math.max(1, Math.min(this.#maxJobsPerTask, this.#jobsInTargetTime(), Math.ceil(queued / this.#threads)));
  }

  /** How many jobs this instrument wants to hold (running, handed to the pool, and queued here). */
  creditTarget(): number {
    const batch = Math.min(this.#maxJobsPerTask, this.#jobsInTargetTime());
    return this.#threads * (2 * batch + 1);
  }

  /** How many jobs, at the time they take here, fill {@link TARGET_BATCH_MS} (at least one). */
  #jobsInTargetTime(): number {
    return Math.max(1, Math.floor(TARGET_BATCH_MS / Math.max(this.#perJobMs, 1e-6)));
  }
}
