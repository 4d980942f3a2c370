import { JobTimeoutError, ThreadCrashedError, type AnyWorkspace, type Logger } from '@orchestra/core';
import { serializeError, type AssignMessage, type SerializedError, type Settlement } from '@orchestra/core/internal';
import type { BatchSizer } from './batch-sizer.js';
import { JobBook } from './job-book.js';
import type { BatchRun, LocalJob } from './local-job.js';
import { isOutOfMemory, outOfMemoryError, type ThreadResourceLimits } from './resource-limits.js';
import { ThreadPool, type ProgressListener } from './thread-pool.js';
import type { BatchOutcome } from './thread/thread-protocol.js';

/** What a {@link JobRunner} tells its instrument. */
export interface RunnerEvents {
  /** A job held here settled: the composer is to hear of it. */
  readonly settle: (settlement: Settlement) => void;
  /** A running job reported progress. */
  readonly progress: ProgressListener;
  /** Batches may have started or ended: the count of busy threads may have changed. */
  readonly batchesChanged: () => void;
}

/** How a {@link JobRunner} runs jobs. */
export interface RunnerSettings {
  readonly threads: number;
  readonly maxResultBytes: number;
  readonly abortGraceMs: number;
  readonly resourceLimits: ThreadResourceLimits;
  readonly logger: Logger;
}

/**
 * Runs the jobs this instrument holds on its threads: takes assigned jobs in, hands batches to the
 * pool, times the runs that have a timeout, stops runs, and turns what comes back into
 * settlements (a batch whose thread died runs again one job at a time, so only its culprit fails).
 */
export class JobRunner {
  readonly #workspace: AnyWorkspace;
  readonly #sizer: BatchSizer;
  readonly #book: JobBook;
  readonly #pool: ThreadPool;
  readonly #abortGraceMs: number;
  readonly #resourceLimits: ThreadResourceLimits;
  readonly #events: RunnerEvents;
  #stoppedRuns = 0;
  #starting = true;
  #drained: (() => void) | undefined;

  constructor(settings: RunnerSettings, workspace: AnyWorkspace, sizer: BatchSizer, events: RunnerEvents) {
    this.#workspace = workspace;
    this.#sizer = sizer;
    this.#abortGraceMs = settings.abortGraceMs;
    this.#resourceLimits = settings.resourceLimits;
    this.#events = events;
    // Two batches per thread: one running, one ready to start the moment it ends.
    this.#book = new JobBook(sizer, settings.threads * 2);
    this.#pool = new ThreadPool(settings.threads, workspace, settings.maxResultBytes, settings.resourceLimits, settings.logger, events.progress, (id, attempt) =>
      this.#onStarted(id, attempt),
    );
  }

  get threads(): number {
    return this.#pool.threads;
  }

  /** Threads running a batch now: each runs one task at a time, and Piscina gives tasks to idle threads first. */
  get busy(): number {
    return Math.min(this.#pool.threads, this.#book.batchCount);
  }

  /** Jobs held here: queued or running. */
  get held(): number {
    return this.#book.held;
  }

  /** Runs stopped so far: cancelled, or past their timeout. */
  get stopped(): number {
    return this.#stoppedRuns;
  }

  /** Queues assigned jobs; one whose script does not resolve in this workspace settles at once. */
  take(jobs: AssignMessage['jobs']): void {
    for (const job of jobs) {
      let file: string;
      try {
        // Checked again here: the composer and the network are not trusted to have checked it.
        file = this.#workspace.resolve(job.script);
      } catch (error) {
        this.#events.settle({ id: job.id, attempt: job.attempt, ok: false, error: serializeError(error) });
        continue;
      }
      // A job with a timeout runs alone, so ending its thread ends nothing else.
      this.#book.queue(job.timeout === undefined ? { ...job, file } : { ...job, file, alone: true });
    }
  }

  /** Hands the pool as many batches as it may have in flight. */
  pump(): void {
    if (this.#starting) {
      for (let batch = this.#book.nextBatch(); batch !== undefined; batch = this.#book.nextBatch()) this.#start(batch);
    }
    this.#events.batchesChanged();
  }

  #start(batch: BatchRun): void {
    this.#pool.run(
      { jobs: batch.jobs },
      batch.controller.signal,
      (outcome) => this.#onBatchDone(batch, outcome),
      (error) => this.#onBatchCrashed(batch, error),
    );
  }

  #onBatchDone(batch: BatchRun, outcome: BatchOutcome): void {
    this.#book.finish(batch);
    this.#sizer.record(outcome.elapsedMs, batch.jobs.length);
    const { stopped } = batch;
    for (const settlement of outcome.settlements) {
      // A stopped run settles with the reason it was stopped for, whatever the script did after.
      const error = stopped.size === 0 ? undefined : stopped.get(settlement.id);
      this.#events.settle(error === undefined ? settlement : { id: settlement.id, attempt: settlement.attempt, ok: false, error });
    }
    this.pump();
    this.#checkDrained();
  }

  #onBatchCrashed(batch: BatchRun, error: unknown): void {
    this.#book.finish(batch);
    const unexplained: LocalJob[] = [];
    for (const job of batch.jobs) {
      const stopped = batch.stopped.get(job.id);
      if (stopped !== undefined) this.#events.settle({ id: job.id, attempt: job.attempt, ok: false, error: stopped });
      // A job handed back is not settled: the composer runs it elsewhere once this instrument leaves.
      else if (!batch.handBack) unexplained.push(job);
    }
    if (unexplained.length === 1 && batch.jobs.length === 1) {
      const job = unexplained[0] as LocalJob;
      const reason = error instanceof Error ? error.message : String(error);
      // Out of memory is told apart: it names the limit, and is not retried (the job would fill the heap again).
      const crash = isOutOfMemory(error)
        ? outOfMemoryError(job, this.#resourceLimits, error)
        : new ThreadCrashedError(`The thread running ${job.script} died: ${reason}`, { cause: error });
      this.#events.settle({ id: job.id, attempt: job.attempt, ok: false, error: serializeError(crash) });
    } else if (unexplained.length > 0) {
      // Which job of the batch killed the thread is unknown (or another job's stop ended it): run
      // each alone, first in line, so a culprit fails by itself and the others complete
      // (at-least-once allows the re-run).
      this.#book.queueFirstAlone(unexplained);
    }
    this.pump();
    this.#checkDrained();
  }

  /** A job with a timeout started on a thread: time it from now. */
  #onStarted(id: string, attempt: number): void {
    const batch = this.#book.aloneBatchOf(id, attempt);
    const job = batch?.jobs[0];
    if (batch === undefined || job?.timeout === undefined) return;
    const { timeout, script } = job;
    const timedOut = (): void =>
      this.stop(id, serializeError(new JobTimeoutError(`Job ${id} (${script}) ran longer than its timeout of ${timeout} ms`)));
    batch.timers.push(setTimeout(timedOut, timeout));
  }

  /**
   * Stops a job held here, settling it with `error`: one not started yet at once; a running one
   * by firing its abort signal, and by ending its thread if it has not stopped after the grace period.
   */
  stop(id: string, error: SerializedError): void {
    const queued = this.#book.takeQueued(id);
    if (queued !== undefined) {
      this.#stoppedRuns += 1;
      this.#events.settle({ id, attempt: queued.attempt, ok: false, error });
      return;
    }
    for (const batch of this.#book.batches()) {
      const job = batch.jobs.find((j) => j.id === id);
      if (job === undefined || batch.stopped.has(id)) continue;
      this.#stoppedRuns += 1;
      batch.stopped.set(id, error);
      this.#pool.abort([{ id, attempt: job.attempt }], error);
      batch.timers.push(setTimeout(() => batch.controller.abort(), this.#abortGraceMs));
      return;
    }
  }

  /** Starts no more batches, from now on. */
  stopStarting(): void {
    this.#starting = false;
  }

  /**
   * Drops the queued jobs (the composer runs them elsewhere once this instrument leaves), lets the
   * batches in flight end for up to `graceMs`, then ends those still running, handing their jobs
   * back the same way. Call {@link stopStarting} first.
   */
  async drain(graceMs: number): Promise<void> {
    this.#book.dropQueued();
    if (this.#book.batchCount > 0) {
      let grace: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        grace = setTimeout(resolve, graceMs);
      });
      clearTimeout(grace);
    }
    if (this.#book.batchCount > 0) {
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        for (const batch of this.#book.batches()) {
          batch.handBack = true;
          batch.controller.abort();
        }
      });
    }
  }

  #checkDrained(): void {
    if (this.#book.batchCount === 0) this.#drained?.();
  }

  /** Runs the scripts' `finish()` hooks and ends the threads. */
  destroy(): Promise<void> {
    return this.#pool.destroy();
  }
}
