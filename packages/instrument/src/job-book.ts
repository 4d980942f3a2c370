import type { BatchSizer } from './batch-sizer.js';
import type { BatchRun, LocalJob } from './local-job.js';

/**
 * The jobs this instrument holds: those queued here and the batches in flight on the pool. It
 * forms the batches (a job that runs alone goes alone; otherwise as many as the sizer says, never
 * more than `maxJobsPerTask`, never so many that a thread idles while another has a backlog); it
 * neither runs them nor talks to the network.
 */
export class JobBook {
  readonly #sizer: BatchSizer;
  readonly #maxInFlight: number;
  #queued: LocalJob[] = [];
  readonly #batches = new Set<BatchRun>();
  /** Jobs in those batches. */
  #inBatches = 0;

  /** `maxInFlight`: most batches handed to the pool at once (running, or next in line for a thread). */
  constructor(sizer: BatchSizer, maxInFlight: number) {
    this.#sizer = sizer;
    this.#maxInFlight = maxInFlight;
  }

  /** Jobs held: queued here or in a batch in flight. */
  get held(): number {
    return this.#queued.length + this.#inBatches;
  }

  /** Jobs queued here, not yet in a batch. */
  get queued(): number {
    return this.#queued.length;
  }

  /** Batches in flight. */
  get batchCount(): number {
    return this.#batches.size;
  }

  /** The batches in flight. */
  batches(): IterableIterator<BatchRun> {
    return this.#batches.values();
  }

  /** Queues a job, last in line. */
  queue(job: LocalJob): void {
    this.#queued.push(job);
  }

  /** Puts jobs first in line, each to run alone. */
  queueFirstAlone(jobs: readonly LocalJob[]): void {
    this.#queued.unshift(...jobs.map((job) => ({ ...job, alone: true })));
  }

  /**
   * Takes the next batch out of the queue and counts it in flight; undefined when nothing is
   * queued or enough batches are in flight.
   */
  nextBatch(): BatchRun | undefined {
    const queued = this.#queued;
    if (queued.length === 0 || this.#batches.size >= this.#maxInFlight) return undefined;
    const size = (queued[0] as LocalJob).alone === true ? 1 : this.#sizer.batchSize(queued.length);
    let count = 1;
    while (count < size && count < queued.length && queued[count]?.alone !== true) count += 1;
    const batch: BatchRun = { jobs: queued.splice(0, count), controller: new AbortController(), stopped: new Map(), timers: [], handBack: false };
    this.#batches.add(batch);
    this.#inBatches += count;
    return batch;
  }

  /** Counts a batch out of flight (it ended, one way or another) and clears its timers. */
  finish(batch: BatchRun): void {
    if (!this.#batches.delete(batch)) return;
    this.#inBatches -= batch.jobs.length;
    for (const timer of batch.timers) clearTimeout(timer);
  }

  /** Takes a queued job out of the queue, so it never runs; undefined if it is not queued. */
  takeQueued(id: string): LocalJob | undefined {
    const index = this.#queued.findIndex((job) => job.id === id);
    return index < 0 ? undefined : this.#queued.splice(index, 1)[0];
  }

  /** Empties the queue. */
  dropQueued(): void {
    this.#queued = [];
  }

  /** The batch in flight that holds only this run (a job with a timeout runs alone), if any. */
  aloneBatchOf(id: string, attempt: number): BatchRun | undefined {
    for (const batch of this.#batches) {
      const job = batch.jobs[0] as LocalJob;
      if (batch.jobs.length === 1 && job.id === id && job.attempt === attempt) return batch;
    }
    return undefined;
  }
}
