import { JobQueue } from './job-queue.js';
import type { JobRecord } from './records.js';

/**
 * Every job the acting term is responsible for, by id, and where each is: the queue (priority, then
 * first in first out), a retry delay, or an instrument. It keeps the counts of each place so that
 * none has to be counted by walking the jobs.
 */
export class JobBook {
  readonly #jobs = new Map<string, JobRecord>();
  readonly #queue = new JobQueue<JobRecord>();
  #queued = 0;
  #delayed = 0;

  /** Jobs in the queue. */
  get queued(): number {
    return this.#queued;
  }

  /** Jobs waiting out a retry delay. */
  get delayed(): number {
    return this.#delayed;
  }

  /** Jobs handed to an instrument and not settled. */
  get running(): number {
    return this.#jobs.size - this.#queued - this.#delayed;
  }

  get(id: string): JobRecord | undefined {
    return this.#jobs.get(id);
  }

  /** Takes a new job and queues it. */
  add(record: JobRecord): void {
    this.#jobs.set(record.id, record);
    this.enqueue(record, false);
  }

  /** Queues a job: at the back of its priority, or at the front (it waited its turn already). */
  enqueue(record: JobRecord, front: boolean): void {
    record.state = 'queued';
    record.instrument = undefined;
    this.#queued += 1;
    if (front) this.#queue.unshift(record, record.priority);
    else this.#queue.push(record, record.priority);
  }

  /** Puts a job in a retry delay, until the scheduled `resume` (see {@link resume}) queues it. */
  delay(record: JobRecord, cancelDelay: () => void): void {
    record.state = 'delayed';
    record.instrument = undefined;
    record.cancelDelay = cancelDelay;
    this.#delayed += 1;
  }

  /** A delay ended: queues the job, if it is still this book's and still delayed. */
  resume(record: JobRecord): boolean {
    if (this.#jobs.get(record.id) !== record || record.state !== 'delayed') return false;
    record.cancelDelay = undefined;
    this.#delayed -= 1;
    this.enqueue(record, false);
    return true;
  }

  /** The next queued job, taken out of the queue to run; undefined when none is queued. */
  next(): JobRecord | undefined {
    for (;;) {
      const record = this.#queue.shift();
      if (record === undefined) return undefined;
      // Entries of jobs that left the queue (cancelled, settled) are skipped here, not searched for.
      if (record.state !== 'queued' || this.#jobs.get(record.id) !== record) continue;
      this.#queued -= 1;
      record.state = 'running';
      return record;
    }
  }

  /** Takes a job out of the queue or its delay (running ones have no place here to leave). */
  unplace(record: JobRecord): void {
    if (record.state === 'queued') this.#queued -= 1; // its queue entry is skipped when reached
    if (record.state === 'delayed') {
      this.#delayed -= 1;
      record.cancelDelay?.();
      record.cancelDelay = undefined;
    }
  }

  /** Forgets a settled job (after {@link unplace}). */
  delete(record: JobRecord): void {
    this.#jobs.delete(record.id);
  }

  /** Cancels every retry delay: the term ends. */
  dispose(): void {
    for (const record of this.#jobs.values()) record.cancelDelay?.();
  }
}
