import { availableParallelism } from 'node:os';
import {
  ClosedError,
  DEFAULT_LIMITS,
  InvalidArgumentError,
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
  type LeaveMessage,
  type ProgressMessage,
  type Settlement,
} from '@orchestra/core/internal';
import { BatchSizer } from './batch-sizer.js';
import type { LocalJob } from './local-job.js';
import { ThreadPool } from './thread-pool.js';
import type { BatchOutcome } from './thread/thread-protocol.js';

/**
 * How soon a change in busy threads that no other message carried is reported on its own. Short
 * enough for a status display, long enough that a busy instrument sends no extra messages.
 */
const BUSY_REPORT_DELAY_MS = 250;

/** Options of {@link Instrument}. */
export interface InstrumentOptions {
  /** This instrument's id on the network (default: a new unique id). */
  readonly id?: string;
  /** Largest result a job may return, JSON-encoded, in bytes (default 16 MiB). */
  readonly maxResultBytes?: number;
  /** Most jobs handed to a thread in one message (default 128). */
  readonly maxBatch?: number;
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
  /** Messages read from the network that failed validation and were set aside. */
  readonly invalidMessages: number;
  /** Assignments refused because they carried an older composer epoch. */
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
  readonly #network: Network;
  readonly #workspace: AnyWorkspace;
  readonly #logger: Logger;
  readonly #pool: ThreadPool;
  readonly #sizer: BatchSizer;
  readonly #receiver: MailboxReceiver;
  readonly #waiting: LocalJob[] = [];
  /** Batches handed to the pool and not yet back. */
  #inFlight = 0;
  /** Jobs in those batches. */
  #running = 0;
  #epoch = 0;
  #granted = 0;
  #settled = 0;
  #invalid = 0;
  #stale = 0;
  /** The busy-thread count the composer last heard. */
  #reportedBusy = 0;
  #busyTimer: NodeJS.Timeout | undefined;
  #outgoing: Settlement[] = [];
  #progress: ProgressMessage['updates'][number][] = [];
  #flushScheduled = false;
  #sending: Promise<void> = Promise.resolve();
  #drained: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(network: Network, workspace: AnyWorkspace, maxWorkers: number = availableParallelism(), options: InstrumentOptions = {}) {
    checkNetwork(network);
    const threads = positiveInteger(maxWorkers, 'maxWorkers');
    const maxBatch = positiveInteger(options.maxBatch ?? 128, 'maxBatch');
    const maxResultBytes = positiveInteger(options.maxResultBytes ?? DEFAULT_LIMITS.maxResultBytes, 'maxResultBytes');
    this.id = options.id ?? newRoleId('instrument');
    this.#network = network;
    this.#workspace = workspace;
    this.#logger = options.logger ?? consoleLogger;
    this.#sizer = new BatchSizer(threads, maxBatch);
    this.#pool = new ThreadPool(threads, workspace, maxResultBytes, this.#logger, (id, attempt, value) => {
      this.#progress.push({ id, attempt, value });
      this.#scheduleFlush();
    });
    this.#receiver = network.receive(mailboxes.instrument(this.id), (messages) => this.#onMessages(messages));
    this.#scheduleFlush();
  }

  /** Counters for monitoring. */
  stats(): InstrumentStats {
    return {
      threads: this.#pool.threads,
      busy: this.#busy(),
      held: this.#waiting.length + this.#running,
      settled: this.#settled,
      invalidMessages: this.#invalid,
      staleMessages: this.#stale,
    };
  }

  /** Threads running a batch now: each runs one task at a time, and Piscina gives tasks to idle threads first. */
  #busy(): number {
    return Math.min(this.#pool.threads, this.#inFlight);
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

  #accept(message: AssignMessage): void {
    if (message.epoch < this.#epoch) {
      this.#stale += 1;
      return;
    }
    this.#epoch = message.epoch;
    for (const job of message.jobs) {
      let file: string;
      try {
        // Checked again here: the composer and the network are not trusted to have checked it.
        file = this.#workspace.resolve(job.script);
      } catch (error) {
        this.#settle({ id: job.id, attempt: job.attempt, ok: false, error: serializeError(error) });
        continue;
      }
      this.#waiting.push({ ...job, file });
    }
  }

  #pump(): void {
    const maxInFlight = this.#pool.threads * 2;
    while (this.#waiting.length > 0 && this.#inFlight < maxInFlight) {
      const first = this.#waiting[0] as LocalJob;
      const size = first.alone === true ? 1 : this.#sizer.batchSize(this.#waiting.length);
      let count = 1;
      while (count < size && count < this.#waiting.length && this.#waiting[count]?.alone !== true) count += 1;
      const jobs = this.#waiting.splice(0, count);
      this.#inFlight += 1;
      this.#running += jobs.length;
      this.#pool.run({ jobs }).then(
        (outcome) => this.#onBatchDone(jobs, outcome),
        (error: unknown) => this.#onBatchCrashed(jobs, error),
      );
    }
    this.#watchBusy();
  }

  #onBatchDone(jobs: readonly LocalJob[], outcome: BatchOutcome): void {
    this.#inFlight -= 1;
    this.#running -= jobs.length;
    this.#sizer.record(outcome.elapsedMs, jobs.length);
    outcome.settlements.forEach((settlement, i) => this.#settle({ ...settlement, attempt: (jobs[i] as LocalJob).attempt }));
    this.#pump();
    this.#checkDrained();
  }

  #onBatchCrashed(jobs: readonly LocalJob[], error: unknown): void {
    this.#inFlight -= 1;
    this.#running -= jobs.length;
    if (jobs.length === 1) {
      const job = jobs[0] as LocalJob;
      const reason = error instanceof Error ? error.message : String(error);
      const crash = new ThreadCrashedError(`The thread running ${job.script} died: ${reason}`, { cause: error });
      this.#settle({ id: job.id, attempt: job.attempt, ok: false, error: serializeError(crash) });
    } else {
      // Which job of the batch killed the thread is unknown: run each alone, first in line, so the
      // culprit fails by itself and the others complete (at-least-once allows the re-run).
      this.#waiting.unshift(...jobs.map((job) => ({ ...job, alone: true })));
    }
    this.#pump();
    this.#checkDrained();
  }

  #settle(settlement: Settlement): void {
    this.#outgoing.push(settlement);
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

  /** Sends settlements, progress and fresh credits to the composer: one message of each kind per tick. */
  #flush(): void {
    const messages: (DoneMessage | CreditMessage | ProgressMessage)[] = [];
    if (this.#progress.length > 0) {
      messages.push({ v: PROTOCOL_VERSION, type: 'progress', instrument: this.id, updates: this.#progress });
      this.#progress = [];
    }
    const credits = this.#closing === undefined ? Math.max(0, this.#sizer.creditTarget() - (this.#granted - this.#settled)) : 0;
    this.#granted += credits;
    const busy = this.#busy();
    if (this.#outgoing.length > 0) {
      messages.push({ v: PROTOCOL_VERSION, type: 'done', instrument: this.id, settlements: this.#outgoing, credits, busy });
      this.#outgoing = [];
      this.#reportedBusy = busy;
    } else if (credits > 0 || busy !== this.#reportedBusy) {
      messages.push({ v: PROTOCOL_VERSION, type: 'credit', instrument: this.id, threads: this.#pool.threads, credits, busy });
      this.#reportedBusy = busy;
    }
    if (messages.length === 0) return;
    const previous = this.#sending;
    this.#sending = previous
      .then(() => this.#network.send(mailboxes.composer, messages))
      .catch((error: unknown) => this.#logger.error('instrument: could not report to the composer', { error }));
  }

  #checkDrained(): void {
    if (this.#inFlight === 0) this.#drained?.();
  }

  /**
   * Stops taking work, finishes the jobs already running, hands back the ones not started, runs
   * the scripts' `finish()` hooks and ends the threads. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearTimeout(this.#busyTimer);
    this.#busyTimer = undefined;
    await this.#receiver.close();
    const returned = this.#waiting.splice(0).map((job) => job.id);
    if (this.#inFlight > 0) await new Promise<void>((resolve) => (this.#drained = resolve));
    this.#flush();
    await this.#sending;
    await this.#pool.destroy();
    const leave: LeaveMessage = { v: PROTOCOL_VERSION, type: 'leave', instrument: this.id, returned };
    await this.#network.send(mailboxes.composer, [leave]).catch((error: unknown) => {
      if (!(error instanceof ClosedError)) this.#logger.error('instrument: could not say goodbye', { error });
    });
  }
}
