import { availableParallelism } from 'node:os';
import { JobCancelledError, type AnyWorkspace, type Logger, type MailboxReceiver, type Network } from '@orchestra/core';
import {
  EpochGate,
  Intake,
  PROTOCOL_VERSION,
  RetryingSender,
  checkNetwork,
  isInstrumentMessage,
  mailboxes,
  newRoleId,
  serializeError,
  type CreditMessage,
  type DoneMessage,
  type HelloMessage,
  type InstrumentMessage,
  type LeaveMessage,
  type RunProgressMessage,
  type Settlement,
} from '@orchestra/core/internal';
import { BatchSizer } from './batch-sizer.js';
import { CreditLedger } from './credit-ledger.js';
import { JobRunner } from './job-runner.js';
import { instrumentSettings, type InstrumentOptions, type InstrumentStats } from './options.js';

export type { InstrumentOptions, InstrumentStats } from './options.js';

/**
 * How soon a change in busy threads that no other message carried is reported on its own. Short
 * enough for a status display, long enough that a busy instrument sends no extra messages.
 */
const BUSY_REPORT_DELAY_MS = 250;
/** How long `close()` keeps trying to send its last settlements and its goodbye. */
const SEND_ON_CLOSE_MS = 10_000;

/**
 * Runs jobs on this machine: receives assignments from the Composer and runs them on a Piscina
 * pool of `maxWorkers` worker threads (default: one per core). It starts working when constructed.
 *
 * ```js
 * const instrument = new Instrument(network, workspace, 4);
 * ```
 *
 * This class is the instrument's side of the network: it says hello, beats, reads and checks what
 * it is sent, and reports settlements, progress and credits, one message of each kind per tick. Its
 * {@link JobRunner} runs the jobs.
 */
export class Instrument {
  /** This instrument's id on the network. */
  readonly id: string;
  readonly #intake: Intake<InstrumentMessage>;
  readonly #gate = new EpochGate();
  readonly #ledger: CreditLedger;
  readonly #runner: JobRunner;
  readonly #receiver: MailboxReceiver;
  readonly #outgoing: RetryingSender;
  readonly #closeGraceMs: number;
  readonly #heartbeat: NodeJS.Timeout;
  /** The busy-thread count the composer last heard. */
  #reportedBusy = 0;
  #busyTimer: NodeJS.Timeout | undefined;
  #settlements: Settlement[] = [];
  #progress: RunProgressMessage['updates'][number][] = [];
  #flushScheduled = false;
  #closing: Promise<void> | undefined;

  constructor(network: Network, workspace: AnyWorkspace, maxWorkers: number = availableParallelism(), options: InstrumentOptions = {}) {
    checkNetwork(network);
    const settings = instrumentSettings(maxWorkers, options);
    const logger: Logger = settings.logger;
    this.id = settings.id ?? newRoleId('instrument');
    this.#closeGraceMs = settings.closeGraceMs;
    this.#intake = new Intake('instrument', isInstrumentMessage, logger);
    // Settlements and heartbeats free memory, or keep the instrument from being given up on: a full Redis takes them.
    this.#outgoing = new RetryingSender(network, mailboxes.composer, logger, 'instrument', { freesMemory: true });
    const sizer = new BatchSizer(settings.threads, settings.maxJobsPerTask);
    this.#ledger = new CreditLedger(sizer);
    this.#runner = new JobRunner(settings, workspace, sizer, {
      settle: (settlement) => this.#settle(settlement),
      progress: (id, attempt, value) => {
        this.#progress.push({ id, attempt, value });
        this.#scheduleFlush();
      },
      batchesChanged: () => this.#watchBusy(),
    });
    this.#receiver = network.receive(mailboxes.instrument(this.id), (messages) => this.#onMessages(messages));
    this.#hello();
    this.#heartbeat = setInterval(() => this.#flush(true), settings.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** Counters for monitoring. */
  stats(): InstrumentStats {
    return {
      threads: this.#runner.threads,
      busy: this.#runner.busy,
      held: this.#runner.held,
      settled: this.#ledger.settled,
      stopped: this.#runner.stopped,
      invalidMessages: this.#intake.invalid,
      staleMessages: this.#gate.stale,
    };
  }

  /**
   * Tells the composer this instrument is here and how many jobs it may be sent in all. Credits
   * are counted from here: whatever a previous composer was granted is forgotten.
   */
  #hello(): void {
    const credits = this.#ledger.restart(this.#runner.held);
    const busy = this.#runner.busy;
    this.#reportedBusy = busy;
    const hello: HelloMessage = { v: PROTOCOL_VERSION, type: 'hello', instrument: this.id, threads: this.#runner.threads, credits, busy };
    // Settlements and progress not yet sent go first, so the credits they carry are counted before the hello resets them.
    this.#flush();
    this.#outgoing.push([hello]);
  }

  /** Makes sure the composer hears of a change in busy threads even when no settlement follows soon. */
  #watchBusy(): void {
    if (this.#busyTimer !== undefined || this.#closing !== undefined || this.#runner.busy === this.#reportedBusy) return;
    this.#busyTimer = setTimeout(() => {
      this.#busyTimer = undefined;
      if (this.#closing === undefined) this.#flush();
    }, BUSY_REPORT_DELAY_MS);
    this.#busyTimer.unref();
  }

  #onMessages(messages: readonly unknown[]): void {
    this.#intake.read(messages, this.#accept);
    this.#runner.pump();
  }

  readonly #accept = (message: InstrumentMessage): void => {
    // Whatever a composer that lost its lease still sent is refused: its successor decides now.
    if (!this.#gate.admit(message.epoch)) return;
    switch (message.type) {
      case 'assign':
        return this.#runner.take(message.jobs);
      case 'cancel':
        for (const id of message.ids) this.#runner.stop(id, serializeError(new JobCancelledError(`Job ${id} was cancelled`)));
        return;
      case 'sync':
        if (this.#closing === undefined) this.#hello();
        return;
    }
  };

  #settle(settlement: Settlement): void {
    this.#settlements.push(settlement);
    this.#ledger.settle();
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
    const messages: (DoneMessage | CreditMessage | RunProgressMessage)[] = [];
    if (this.#progress.length > 0) {
      messages.push({ v: PROTOCOL_VERSION, type: 'progress', instrument: this.id, updates: this.#progress });
      this.#progress = [];
    }
    const credits = this.#ledger.grant();
    const busy = this.#runner.busy;
    if (this.#settlements.length > 0) {
      messages.push({ v: PROTOCOL_VERSION, type: 'done', instrument: this.id, settlements: this.#settlements, credits, busy });
      this.#settlements = [];
      this.#reportedBusy = busy;
    } else if (credits > 0 || busy !== this.#reportedBusy || heartbeat) {
      messages.push({ v: PROTOCOL_VERSION, type: 'credit', instrument: this.id, threads: this.#runner.threads, credits, busy, held: this.#runner.held });
      this.#reportedBusy = busy;
    }
    if (messages.length > 0) this.#outgoing.push(messages);
  }

  /**
   * Stops taking work and drains: hands back the jobs not started, lets the running ones finish
   * for up to `closeGraceMs`, then stops those still running and hands them back too, runs the
   * scripts' `finish()` hooks, ends the threads and says goodbye. Idempotent.
   */
  close(): Promise<void> {
    if (this.#closing === undefined) {
      this.#ledger.close();
      this.#runner.stopStarting();
      this.#closing = this.#close();
    }
    return this.#closing;
  }

  async #close(): Promise<void> {
    clearTimeout(this.#busyTimer);
    this.#busyTimer = undefined;
    clearInterval(this.#heartbeat);
    await this.#receiver.close();
    await this.#runner.drain(this.#closeGraceMs);
    this.#flush();
    await this.#runner.destroy();
    // The composer runs again elsewhere whatever it still has on record for this instrument.
    const leave: LeaveMessage = { v: PROTOCOL_VERSION, type: 'leave', instrument: this.id };
    this.#outgoing.push([leave]);
    // Bounded: with the network gone for good, the composer gives up on this instrument anyway
    // (its lease lapses) and runs what it held elsewhere.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.#outgoing.idle(), new Promise((resolve) => (timer = setTimeout(resolve, SEND_ON_CLOSE_MS)))]);
    clearTimeout(timer);
    this.#outgoing.stop();
  }
}
