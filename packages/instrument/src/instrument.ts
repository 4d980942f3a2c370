import { availableParallelism } from 'node:os';
import {
  DEFAULT_LIMITS,
  InvalidArgumentError,
  JobCancelledError,
  JobTimeoutError,
  ThreadCrashedError,
  consoleLogger,
  type AnyWorkspace,
  type Logger,
  type MailboxReceiver,
  type Network,
} from '@orchestra/core';
import {
  PROTOCOL_VERSION,
  checkNetwork,
  isInstrumentMessage,
  mailboxes,
  newRoleId,
  serializeError,
  type AssignMessage,
  type CreditMessage,
  type DoneMessage,
  type HelloMessage,
  type InstrumentMessage,
  type LeaveMessage,
  type ProgressMessage,
  type SerializedError,
  type Settlement,
} from '@orchestra/core/internal';
import { BatchSizer } from './batch-sizer.js';
import type { BatchRun, LocalJob } from './local-job.js';
import { SendQueue } from './send-queue.js';
import { ThreadPool } from './thread-pool.js';
import type { BatchOutcome } from './thread/thread-protocol.js';

/**
 * How soon a change in busy threads that no other message carried is reported on its own. Short
 * enough for a status display, long enough that a busy instrument sends no extra messages.
 */
const BUSY_REPORT_DELAY_MS = 250;
/** How long `close()` keeps trying to send its last settlements and its goodbye. */
const SEND_ON_CLOSE_MS = 10_000;
/** Longest a settlement waits for the progress values its run posted. */
const PROGRESS_WAIT_MS = 1_000;

/** Options of {@link Instrument}. */
export interface InstrumentOptions {
  /** This instrument's id on the network (default: a new unique id). */
  readonly id?: string;
  /** Largest result a job may return, JSON-encoded, in bytes (default 16 MiB). */
  readonly maxResultBytes?: number;
  /** Most jobs handed to a thread in one message (default 128). */
  readonly maxBatch?: number;
  /** How often it tells the composer it is alive, in ms (default 1 000; keep it well under the composer's `instrumentLeaseMs`). */
  readonly heartbeatMs?: number;
  /**
   * After a job's abort signal fired (cancelled, or past its timeout), how long the script has to
   * stop before its thread is ended, in ms (default 1 000).
   */
  readonly abortGraceMs?: number;
  /**
   * How long `close()` lets running jobs finish before it stops them and hands them back to the
   * composer to run elsewhere, in ms (default 30 000).
   */
  readonly closeGraceMs?: number;
  /** Where problems are reported (default: the console). */
  readonly logger?: Logger;
}

/** Counters an instrument keeps, for monitoring. */
export interface InstrumentStats {
  readonly threads: number;
  /** Threads running jobs now. */
  readonly busy: number;
  /** Jobs held here: waiting or running. */
  readonly held: number;
  /** Jobs settled since start. */
  readonly settled: number;
  /** Runs stopped: cancelled, or past their timeout. */
  readonly stopped: number;
  /** Messages read from the network that failed validation and were set aside. */
  readonly invalidMessages: number;
  /** Messages refused because they carried an older composer epoch. */
  readonly staleMessages: number;
}

function positiveInteger(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new InvalidArgumentError(`${what} must be a positive integer, got ${String(value)}`);
  }
  return value;
}

/**
 * Runs jobs on this machine: receives assignments from the Composer and runs them on a Piscina
 * pool of `maxWorkers` worker threads (default: one per core). It starts working when constructed.
 *
 * ```js
 * const instrument = new Instrument(network, workspace, 4);
 * ```
 */
export class Instrument {
  /** This instrument's id on the network. */
  readonly id: string;
  readonly #workspace: AnyWorkspace;
  readonly #logger: Logger;
  readonly #pool: ThreadPool;
  readonly #sizer: BatchSizer;
  readonly #receiver: MailboxReceiver;
  readonly #outgoing: SendQueue;
  readonly #abortGraceMs: number;
  readonly #closeGraceMs: number;
  readonly #heartbeat: NodeJS.Timeout;
  #waiting: LocalJob[] = [];
  readonly #batches = new Set<BatchRun>();
  /** Jobs in those batches. */
  #running = 0;
  #epoch = 0;
  #granted = 0;
  #settled = 0;
  #stoppedRuns = 0;
  #invalid = 0;
  #stale = 0;
  /** The busy-thread count the composer last heard. */
  #reportedBusy = 0;
  #busyTimer: NodeJS.Timeout | undefined;
  #settlements: Settlement[] = [];
  #progress: ProgressMessage['updates'][number][] = [];
  #flushScheduled = false;
  /** Progress values received per run (`id#attempt`), for runs that report progress. */
  readonly #progressSeen = new Map<string, number>();
  /** Settlements held back until the progress values their run posted have all arrived (see takeProgressCount). */
  readonly #awaitingProgress = new Map<string, { readonly settlement: Settlement; readonly needs: number; readonly timer: NodeJS.Timeout }>();
  /** Jobs handed back at close: stopped past the grace period, or never started. */
  #returned: string[] = [];
  #drained: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(network: Network, workspace: AnyWorkspace, maxWorkers: number = availableParallelism(), options: InstrumentOptions = {}) {
    checkNetwork(network);
    const threads = positiveInteger(maxWorkers, 'maxWorkers');
    const maxBatch = positiveInteger(options.maxBatch ?? 128, 'maxBatch');
    const maxResultBytes = positiveInteger(options.maxResultBytes ?? DEFAULT_LIMITS.maxResultBytes, 'maxResultBytes');
    const heartbeatMs = positiveInteger(options.heartbeatMs ?? 1_000, 'heartbeatMs');
    this.#abortGraceMs = positiveInteger(options.abortGraceMs ?? 1_000, 'abortGraceMs');
    this.#closeGraceMs = positiveInteger(options.closeGraceMs ?? 30_000, 'closeGraceMs');
    this.id = options.id ?? newRoleId('instrument');
    this.#workspace = workspace;
    this.#logger = options.logger ?? consoleLogger;
    this.#outgoing = new SendQueue(network, mailboxes.composer, this.#logger);
    this.#sizer = new BatchSizer(threads, maxBatch);
    this.#pool = new ThreadPool(
      threads,
      workspace,
      maxResultBytes,
      this.#logger,
      (id, attempt, value) => {
        this.#progress.push({ id, attempt, value });
        this.#progressArrived(`${id}#${attempt}`);
        this.#scheduleFlush();
      },
      (id, attempt) => this.#onStarted(id, attempt),
    );
    this.#receiver = network.receive(mailboxes.instrument(this.id), (messages) => this.#onMessages(messages));
    this.#hello();
    this.#heartbeat = setInterval(() => this.#flush(true), heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Counters for monitoring. */
  stats(): InstrumentStats {
    return {
      threads: this.#pool.threads,
      busy: this.#busy(),
      held: this.#waiting.length + this.#running,
      settled: this.#settled,
      stopped: this.#stoppedRuns,
      invalidMessages: this.#invalid,
      staleMessages: this.#stale,
    };
  }

  /** Threads running a batch now: each runs one task at a time, and Piscina gives tasks to idle threads first. */
  #busy(): number {
    return Math.min(this.#pool.threads, this.#batches.size);
  }

  /**
   * Tells the composer this instrument is here and how many jobs it may be sent in all. Credits
   * are counted from here: whatever a previous composer was granted is forgotten.
   */
  #hello(): void {
    const held = this.#waiting.length + this.#running;
    const credits = this.#closing === undefined ? Math.max(0, this.#sizer.creditTarget() - held) : 0;
    this.#granted = this.#settled + held + credits;
    const busy = this.#busy();
    this.#reportedBusy = busy;
    const hello: HelloMessage = { v: PROTOCOL_VERSION, type: 'hello', instrument: this.id, threads: this.#pool.threads, credits, busy };
    // Settlements and progress waiting go first, so the credits they carry are counted before the hello resets them.
    this.#flush();
    this.#outgoing.push([hello]);
  }

  /** Makes sure the composer hears of a change in busy threads even when no settlement follows soon. */
  #watchBusy(): void {
    if (this.#busyTimer !== undefined || this.#closing !== undefined || this.#busy() === this.#reportedBusy) return;
    this.#busyTimer = setTimeout(() => {
      this.#busyTimer = undefined;
      if (this.#closing === undefined) this.#flush();
    }, BUSY_REPORT_DELAY_MS);
    this.#busyTimer.unref();
  }

  #onMessages(messages: readonly unknown[]): void {
    for (const message of messages) {
      if (!isInstrumentMessage(message)) {
        this.#invalid += 1;
        this.#logger.warn('instrument: set aside an invalid message', { reason: isInstrumentMessage.explain(message) });
        continue;
      }
      this.#accept(message);
    }
    this.#pump();
  }

  #accept(message: InstrumentMessage): void {
    // Whatever a composer that lost its lease still sent is refused: its successor decides now.
    if (message.epoch < this.#epoch) {
      this.#stale += 1;
      return;
    }
    this.#epoch = message.epoch;
    switch (message.type) {
      case 'assign':
        return this.#assign(message);
      case 'cancel':
        for (const id of message.ids) this.#stop(id, serializeError(new JobCancelledError(`Job ${id} was cancelled`)));
        return;
      case 'sync':
        if (this.#closing === undefined) this.#hello();
        return;
    }
  }

  #assign(message: AssignMessage): void {
    for (const job of message.jobs) {
      let file: string;
      try {
        // Checked again here: the composer and the network are not trusted to have checked it.
        file = this.#workspace.resolve(job.script);
      } catch (error) {
        this.#settle({ id: job.id, attempt: job.attempt, ok: false, error: serializeError(error) });
        continue;
      }
      // A job with a timeout runs alone, so ending its thread ends nothing else.
      this.#waiting.push(job.timeout === undefined ? { ...job, file } : { ...job, file, alone: true });
    }
  }

  #pump(): void {
    const maxInFlight = this.#pool.threads * 2;
    while (this.#waiting.length > 0 && this.#batches.size < maxInFlight && this.#closing === undefined) {
      const first = this.#waiting[0] as LocalJob;
      const size = first.alone === true ? 1 : this.#sizer.batchSize(this.#waiting.length);
      let count = 1;
      while (count < size && count < this.#waiting.length && this.#waiting[count]?.alone !== true) count += 1;
      const jobs = this.#waiting.splice(0, count);
      const batch: BatchRun = { jobs, controller: new AbortController(), stopped: new Map(), timers: [], handBack: false };
      this.#batches.add(batch);
      this.#running += jobs.length;
      this.#pool.run({ jobs }, batch.controller.signal).then(
        (outcome) => this.#onBatchDone(batch, outcome),
        (error: unknown) => this.#onBatchCrashed(batch, error),
      );
    }
    this.#watchBusy();
  }

  #finishBatch(batch: BatchRun): void {
    this.#batches.delete(batch);
    this.#running -= batch.jobs.length;
    for (const timer of batch.timers) clearTimeout(timer);
  }

  #onBatchDone(batch: BatchRun, outcome: BatchOutcome): void {
    this.#finishBatch(batch);
    this.#sizer.record(outcome.elapsedMs, batch.jobs.length);
    outcome.settlements.forEach((settlement, i) => {
      const job = batch.jobs[i] as LocalJob;
      // A stopped run settles with the reason it was stopped for, whatever the script did after.
      const stopped = batch.stopped.get(job.id);
      if (stopped !== undefined) this.#settleAfterProgress({ id: job.id, attempt: job.attempt, ok: false, error: stopped }, settlement.progress ?? 0);
      else if (settlement.progress === undefined) this.#settle({ ...settlement, attempt: job.attempt });
      else {
        const { progress, ...ended } = settlement;
        this.#settleAfterProgress({ ...ended, attempt: job.attempt }, progress);
      }
    });
    this.#pump();
    this.#checkDrained();
  }

  #onBatchCrashed(batch: BatchRun, error: unknown): void {
    this.#finishBatch(batch);
    const unexplained: LocalJob[] = [];
    for (const job of batch.jobs) {
      // Progress counts of a batch whose thread died are never needed.
      this.#progressSeen.delete(`${job.id}#${job.attempt}`);
      const stopped = batch.stopped.get(job.id);
      if (stopped !== undefined) this.#settle({ id: job.id, attempt: job.attempt, ok: false, error: stopped });
      else if (batch.handBack) this.#returned.push(job.id);
      else unexplained.push(job);
    }
    if (unexplained.length === 1 && batch.jobs.length === 1) {
      const job = unexplained[0] as LocalJob;
      const reason = error instanceof Error ? error.message : String(error);
      const crash = new ThreadCrashedError(`The thread running ${job.script} died: ${reason}`, { cause: error });
      this.#settle({ id: job.id, attempt: job.attempt, ok: false, error: serializeError(crash) });
    } else if (unexplained.length > 0) {
      // Which job of the batch killed the thread is unknown (or another job's stop ended it): run
      // each alone, first in line, so a culprit fails by itself and the others complete
      // (at-least-once allows the re-run).
      this.#waiting.unshift(...unexplained.map((job) => ({ ...job, alone: true })));
    }
    this.#pump();
    this.#checkDrained();
  }

  /** A job with a timeout started on a thread: time it from now. */
  #onStarted(id: string, attempt: number): void {
    for (const batch of this.#batches) {
      const job = batch.jobs.find((j) => j.id === id && j.attempt === attempt);
      if (job?.timeout === undefined) continue;
      const timeout = job.timeout;
      batch.timers.push(
        setTimeout(() => {
          this.#stop(id, serializeError(new JobTimeoutError(`Job ${id} (${job.script}) ran longer than its timeout of ${timeout} ms`)));
        }, timeout),
      );
      return;
    }
  }

  /**
   * Stops a job held here, settling it with `error`: one not started yet at once; a running one
   * by firing its abort signal, and by ending its thread if it has not stopped after the grace period.
   */
  #stop(id: string, error: SerializedError): void {
    const index = this.#waiting.findIndex((job) => job.id === id);
    if (index >= 0) {
      const [job] = this.#waiting.splice(index, 1) as [LocalJob];
      this.#stoppedRuns += 1;
      this.#settle({ id, attempt: job.attempt, ok: false, error });
      return;
    }
    for (const batch of this.#batches) {
      const job = batch.jobs.find((j) => j.id === id);
      if (job === undefined || batch.stopped.has(id)) continue;
      this.#stoppedRuns += 1;
      batch.stopped.set(id, error);
      this.#pool.abort([{ id, attempt: job.attempt }], error);
      batch.timers.push(setTimeout(() => batch.controller.abort(), this.#abortGraceMs));
      return;
    }
  }

  /**
   * Settles a run once the `needs` progress values it posted have arrived: they come on another
   * message port than the batch's result, and must reach the consumer first. Bounded: after a
   * second the settlement goes anyway.
   */
  #settleAfterProgress(settlement: Settlement, needs: number): void {
    const key = `${settlement.id}#${settlement.attempt}`;
    if (needs === 0 || (this.#progressSeen.get(key) ?? 0) >= needs) {
      this.#progressSeen.delete(key);
      this.#settle(settlement);
      return;
    }
    const timer = setTimeout(() => this.#releaseSettlement(key), PROGRESS_WAIT_MS);
    this.#awaitingProgress.set(key, { settlement, needs, timer });
  }

  #progressArrived(key: string): void {
    const seen = (this.#progressSeen.get(key) ?? 0) + 1;
    this.#progressSeen.set(key, seen);
    const waiting = this.#awaitingProgress.get(key);
    if (waiting !== undefined && seen >= waiting.needs) this.#releaseSettlement(key);
  }

  #releaseSettlement(key: string): void {
    const waiting = this.#awaitingProgress.get(key);
    if (waiting === undefined) return;
    clearTimeout(waiting.timer);
    this.#awaitingProgress.delete(key);
    this.#progressSeen.delete(key);
    this.#settle(waiting.settlement);
  }

  #settle(settlement: Settlement): void {
    this.#settlements.push(settlement);
    this.#settled += 1;
    this.#scheduleFlush();
  }

  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    queueMicrotask(() => {
      this.#flushScheduled = false;
      this.#flush();
    });
  }

  /**
   * Sends settlements, progress and fresh credits to the composer: one message of each kind per
   * tick. A heartbeat sends a credit message even when there is nothing else to say.
   */
  #flush(heartbeat = false): void {
    const messages: (DoneMessage | CreditMessage | ProgressMessage)[] = [];
    if (this.#progress.length > 0) {
      messages.push({ v: PROTOCOL_VERSION, type: 'progress', instrument: this.id, updates: this.#progress });
      this.#progress = [];
    }
    const credits = this.#closing === undefined ? Math.max(0, this.#sizer.creditTarget() - (this.#granted - this.#settled)) : 0;
    this.#granted += credits;
    const busy = this.#busy();
    if (this.#settlements.length > 0) {
      messages.push({ v: PROTOCOL_VERSION, type: 'done', instrument: this.id, settlements: this.#settlements, credits, busy });
      this.#settlements = [];
      this.#reportedBusy = busy;
    } else if (credits > 0 || busy !== this.#reportedBusy || heartbeat) {
      messages.push({ v: PROTOCOL_VERSION, type: 'credit', instrument: this.id, threads: this.#pool.threads, credits, busy });
      this.#reportedBusy = busy;
    }
    if (messages.length > 0) this.#outgoing.push(messages);
  }

  #checkDrained(): void {
    if (this.#batches.size === 0) this.#drained?.();
  }

  /**
   * Stops taking work and drains: hands back the jobs not started, lets the running ones finish
   * for up to `closeGraceMs`, then stops those still running and hands them back too, runs the
   * scripts' `finish()` hooks, ends the threads and says goodbye. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearTimeout(this.#busyTimer);
    this.#busyTimer = undefined;
    clearInterval(this.#heartbeat);
    await this.#receiver.close();
    this.#returned.push(...this.#waiting.splice(0).map((job) => job.id));
    if (this.#batches.size > 0) {
      let grace: NodeJS.Timeout | undefined;
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        grace = setTimeout(resolve, this.#closeGraceMs);
      });
      clearTimeout(grace);
    }
    if (this.#batches.size > 0) {
      // Past the grace period: what still runs is stopped and handed back, to run elsewhere.
      await new Promise<void>((resolve) => {
        this.#drained = resolve;
        for (const batch of this.#batches) {
          batch.handBack = true;
          batch.controller.abort();
        }
      });
    }
    for (const key of [...this.#awaitingProgress.keys()]) this.#releaseSettlement(key);
    this.#flush();
    await this.#pool.destroy();
    const leave: LeaveMessage = { v: PROTOCOL_VERSION, type: 'leave', instrument: this.id, returned: this.#returned.slice(0, 10_000) };
    this.#outgoing.push([leave]);
    // Bounded: with the network gone for good, the composer gives up on this instrument anyway
    // (its lease lapses) and runs what it held elsewhere.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#outgoing.idle(), new Promise((resolve) => (timer = setTimeout(resolve, SEND_ON_CLOSE_MS)))]);
    clearTimeout(timer);
    this.#outgoing.stop();
  }
}
