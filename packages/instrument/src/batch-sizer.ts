/** How long one batch of jobs should keep a thread busy: long enough to amortise a message, short enough to keep latency and a crash's blast radius small. */
const TARGET_BATCH_MS = 4;

/**
 * Sizes batches and credits from how long jobs take here. Tiny jobs go out in batches of up to
 * `maxBatch` with enough credit to keep every thread fed; jobs of a few ms or more go one at a time
 * with a prefetch of one per thread, so slow work is not hoarded away from other instruments.
 */
export class BatchSizer {
  #perJobMs = TARGET_BATCH_MS;
  readonly #maxBatch: number;
  readonly #threads: number;

  constructor(threads: number, maxBatch: number) {
    this.#threads = threads;
    this.#maxBatch = maxBatch;
  }

  /** Feeds back how long a batch took in its thread. */
  record(elapsedMs: number, jobs: number): void {
    this.#perJobMs = this.#perJobMs * 0.7 + (elapsedMs / jobs) * 0.3;
  }

  /** Jobs per batch, given how many are waiting: never so many that a thread idles while another has a backlog. */
  batchSize(waiting: number): number {
    const byTime = Math.max(1, Math.floor(TARGET_BATCH_MS / Math.max(this.#perJobMs, 1e-6)));
    return Math.max(1, Math.min(this.#maxBatch, byTime, Math.ceil(waiting / this.#threads)));
  }

  /** How many jobs this instrument wants to hold (running, queued in the pool, and waiting). */
  creditTarget(): number {
    const byTime = Math.max(1, Math.floor(TARGET_BATCH_MS / Math.max(this.#perJobMs, 1e-6)));
    const batch = Math.min(this.#maxBatch, byTime);
    return this.#threads * (2 * batch + 1);
  }
}
