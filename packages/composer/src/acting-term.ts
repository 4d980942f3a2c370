import { InstrumentLostError, JobCancelledError, type Logger, type Release } from '@orchestra/core';
import {
  isRetryable,
  serializeError,
  type CancelRequestMessage,
  type CreditMessage,
  type ComposerMessage,
  type DoneMessage,
  type HelloMessage,
  type LeaveMessage,
  type RunProgressMessage,
  type StatusSnapshot,
  type SubmitMessage,
} from '@orchestra/core/internal';
import { dispatchQueued } from './dispatch.js';
import { JobBook } from './job-book.js';
import { InstrumentRegistry } from './instrument-registry.js';
import { RateMeter } from './rate-meter.js';
import { statusSnapshot } from './status-snapshot.js';
import type { InstrumentRecord, JobRecord, SubmitHold } from './records.js';
import { retryDelay } from './retry-delay.js';
import type { Scheduler } from './scheduler.js';
import { TermCounters } from './term-counters.js';
import { TermMail, type Parcel, type SettleItem } from './term-mail.js';

/** What an acting term needs to know of its composer's options. */
export interface TermOptions {
  /** How long an instrument may stay silent before the jobs it holds run elsewhere, in ms. */
  readonly instrumentLeaseMs: number;
  /** How many lost runs a job survives before it fails with `InstrumentLostError`. */
  readonly maxLostRuns: number;
}

/**
 * What a composer knows while it acts, and every decision it makes on it: the jobs and their queue,
 * the instruments and what they hold, what to send next, the counters of the term. Created when the
 * composer starts acting and dropped whole (see {@link dispose}) when it steps down or closes: the
 * network still holds every unsettled submission, for whoever acts next.
 *
 * Its methods take the messages read from the network and change state; nothing here sends or
 * receives. What is to be sent is taken with {@link outgoing}. Time comes from an injected
 * {@link Scheduler}, so every decision can be tested without a network or waiting.
 */
export class ActingTerm {
  /** The lease epoch of this term; every message it sends carries it. */
  #epoch: number;
  readonly counters = new TermCounters();
  readonly #options: TermOptions;
  readonly #scheduler: Scheduler;
  readonly #logger: Logger;
  /** Called when something changed outside a handled batch (a retry delay ended). */
  readonly #onChange: () => void;
  readonly #book = new JobBook();
  readonly #instruments = new InstrumentRegistry();
  readonly #mail = new TermMail();
  readonly #rate = new RateMeter();
  /** Observers waiting for a status snapshot, answered once the batch that asked is handled. */
  #statusRequests = new Set<string>();
  /** Where dispatch starts among the instruments, moved on each time so that none is always first. */
  #rotation = 0;
  readonly #startedAt: number;

  constructor(epoch: number, options: TermOptions, scheduler: Scheduler, logger: Logger, onChange: () => void) {
    this.#epoch = epoch;
    this.#options = options;
    this.#scheduler = scheduler;
    this.#logger = logger;
    this.#onChange = onChange;
    this.#startedAt = scheduler.now();
  }

  /** The lease epoch of this term; every message it sends carries it. */
  get epoch(): number {
    return this.#epoch;
  }

  /**
   * Goes on under a new epoch of the same holder: its lease lapsed or was lost and came back to it,
   * nobody else having acted, so what it knows is still the newest state.
   */
  continueAs(epoch: number): void {
    this.#epoch = epoch;
  }

  /** Jobs waiting to run: in the queue or in a retry delay. */
  get queued(): number {
    return this.#book.queued + this.#book.delayed;
  }

  /** Of the queued jobs, those waiting out a retry delay. */
  get delayed(): number {
    return this.#book.delayed;
  }

  /** Jobs handed to an instrument and not settled. */
  get running(): number {
    return this.#book.running;
  }

  get instruments(): number {
    return this.#instruments.size;
  }

  get threads(): number {
    return this.#instruments.threads;
  }

  /** Jobs settled per second over the last few seconds. */
  jobsPerSecond(): number {
    return this.#rate.perSecond();
  }

  /** Takes one message read from the network; `hold` holds a submit message until its jobs settle. */
  handle(message: ComposerMessage, hold: () => Release): void {
    switch (message.type) {
      case 'submit':
        return this.submit(message, hold());
      case 'cancel':
        return this.cancel(message);
      case 'hello':
        return this.hello(message);
      case 'credit':
        return this.credit(message);
      case 'done':
        return this.done(message);
      case 'progress':
        return this.progress(message);
      case 'leave':
        return this.leave(message);
      case 'status':
        // Nobody waits for an answer after expiresAt; answering would leave an unread mailbox behind.
        if (message.expiresAt === undefined || this.#scheduler.now() <= message.expiresAt) this.#statusRequests.add(message.replyTo);
        return;
      case 'lookup':
        return this.lookup(message, hold);
    }
  }

  /** Queues the jobs of a submission; `release` acknowledges it once every one has settled. */
  submit(message: SubmitMessage, release: Release): void {
    const hold: SubmitHold = { remaining: 0, release };
    for (const job of message.jobs) {
      const existing = this.#book.get(job.id);
      if (existing !== undefined) {
        // Submitted again (a consumer's retry, a redelivery): queued once, held by the newest submission.
        if (existing.hold !== hold) {
          this.#unhold(existing.hold, undefined);
          existing.hold = hold;
          hold.remaining += 1;
        }
        continue;
      }
      hold.remaining += 1;
      this.#book.add({
        id: job.id,
        script: job.script,
        params: job.params,
        priority: job.priority ?? 0,
        consumer: message.consumer,
        resultTtlMs: message.resultTtlMs,
        attempts: job.attempts ?? 1,
        backoff: job.backoff,
        timeout: job.timeout,
        attempt: 1,
        failures: 0,
        lostRuns: 0,
        state: 'queued',
        instrument: undefined,
        hold,
        cancelDelay: undefined,
      });
    }
    if (hold.remaining === 0) release();
  }

  /** Cancels jobs of the consumer that asks, wherever they are; a running one is stopped on its instrument. */
  cancel(message: CancelRequestMessage): void {
    for (const id of message.ids) {
      const record = this.#book.get(id);
      // Only the consumer that added a job may cancel it; a settled job has nothing left to cancel.
      if (record?.consumer !== message.consumer) continue;
      if (record.state === 'running' && record.instrument !== undefined) this.#mail.cancel(record.instrument, id);
      this.#fail(record, new JobCancelledError(`Job ${id} was cancelled`));
    }
  }

  /**
   * Answers a consumer that asks which of its jobs this term holds, listing those it does not. The
   * answer follows, in the consumer's mailbox, every settlement sent there before; the lookup is
   * held until it is sent, so a composer that stops first leaves the question to the next one.
   */
  lookup(message: Extract<ComposerMessage, { type: 'lookup' }>, hold: () => Release): void {
    const unknown = message.ids.filter((id) => this.#book.get(id)?.consumer !== message.consumer);
    if (unknown.length > 0) this.#mail.lookupReply(message.consumer, unknown, message.resultTtlMs, hold());
  }

  /** An instrument started (or started again: whatever it held died with its previous process). */
  hello(message: HelloMessage): void {
    const earlier = this.#instruments.hello(message, this.#scheduler.now());
    if (earlier !== undefined) this.#loseHeld(earlier);
  }

  /**
   * Freed capacity, or a heartbeat. An instrument idle while it should be working lost messages
   * (see `InstrumentRegistry.owesWork`): it is asked to start again.
   */
  credit(message: CreditMessage): void {
    const instrument = this.#heardFrom(message.instrument);
    if (instrument === undefined) return;
    this.#instruments.credit(instrument, message);
    // Half an instrument lease: many heartbeats, yet well before the instrument would be given up on.
    const graceMs = this.#options.instrumentLeaseMs / 2;
    if (!this.#instruments.owesWork(instrument, message, this.#book.queued, this.#scheduler.now(), graceMs)) return;
    this.#logger.warn(
      `composer: instrument ${instrument.id} is idle while it should hold ${String(instrument.held.size)} jobs or have credits: ` +
        'messages between them were lost (did Redis lose keys?); asking it to start again',
    );
    instrument.idleBeats = 0;
    instrument.owedSince = undefined;
    this.#mail.askHello(instrument.id);
  }

  /** Settlements of runs, with the credits they free; a stale or duplicate one is dropped. */
  done(message: DoneMessage): void {
    const instrument = this.#heardFrom(message.instrument);
    if (instrument !== undefined) this.#instruments.credit(instrument, message);
    for (const settlement of message.settlements) {
      const record = this.#book.get(settlement.id);
      if (record?.state !== 'running' || record.attempt !== settlement.attempt || record.instrument !== message.instrument) {
        this.counters.droppedSettlements += 1;
        continue;
      }
      if (settlement.ok) {
        this.#finish(record, settlement.result === undefined ? { id: record.id, ok: true } : { id: record.id, ok: true, result: settlement.result });
      } else if (isRetryable(settlement.error) && record.failures + 1 < record.attempts) {
        record.failures += 1;
        this.counters.retried += 1;
        this.#runAgain(record, retryDelay(record.backoff, record.failures));
      } else {
        this.#finish(record, { id: record.id, ok: false, error: settlement.error });
      }
    }
  }

  /** Progress of runs, passed on to their consumers when it comes from the run now current. */
  progress(message: RunProgressMessage): void {
    for (const update of message.updates) {
      const record = this.#book.get(update.id);
      if (record?.attempt !== update.attempt || record.instrument !== message.instrument) continue;
      this.#mail.progress(record.consumer, { id: update.id, value: update.value }, record.resultTtlMs);
    }
  }

  /**
   * An instrument leaves. Everything it still held goes back to the front of the queue as a new
   * run, so a late settlement from it is recognised as stale. Handed back, not lost: no lost run
   * is counted.
   */
  leave(message: LeaveMessage): void {
    const instrument = this.#instruments.remove(message.instrument);
    if (instrument === undefined) return;
    for (const id of instrument.held) {
      const record = this.#book.get(id);
      if (record !== undefined) this.#runAgain(record, 0);
    }
  }

  /**
   * Gives up on instruments silent past their lease and on unanswered hello requests; returns true
   * when it did. Silence counts only from `reachableSince`, when the composer last could reach the
   * network (Infinity while it cannot): if it was the one cut off, blaming the instruments would only
   * run their jobs twice.
   */
  checkInstruments(reachableSince: number): boolean {
    if (!Number.isFinite(reachableSince)) return false;
    const now = this.#scheduler.now();
    let changed = false;
    for (const instrument of this.#instruments.silent(now, this.#options.instrumentLeaseMs, reachableSince)) {
      this.#logger.warn(`composer: instrument ${instrument.id} was silent for ${now - instrument.lastSeen} ms; running its jobs elsewhere`);
      this.#instruments.remove(instrument.id);
      this.counters.lostInstruments += 1;
      this.#loseHeld(instrument);
      changed = true;
    }
    if (this.#instruments.dropUnanswered(now) > 0) changed = true;
    return changed;
  }

  /** Hands queued jobs to instruments in proportion to their credits; one list per instrument. */
  dispatch(): void {
    this.#rotation = dispatchQueued(this.#book, this.#instruments, this.#mail, this.#rotation);
  }

  /** Dispatches, then takes everything decided since last time, as parcels for the sender. */
  outgoing(): Parcel[] {
    this.dispatch();
    return this.#mail.drain(this.epoch);
  }

  /** The observers to answer with a {@link snapshot} now, each once. */
  takeStatusRequests(): string[] {
    if (this.#statusRequests.size === 0) return [];
    const observers = [...this.#statusRequests];
    this.#statusRequests = new Set();
    return observers;
  }

  /** Mailboxes of instruments that left or were given up on, to delete (whatever they held was requeued). */
  takeDeparted(): string[] {
    return this.#instruments.takeDeparted();
  }

  /** What the term knows of its network now, as a status reply carries it. */
  snapshot(): StatusSnapshot {
    return statusSnapshot(this.#instruments.all(), {
      queued: this.queued,
      running: this.running,
      done: this.counters.done,
      failed: this.counters.failed,
      jobsPerSecond: this.#rate.perSecond(),
      uptimeMs: Math.max(0, Math.round(this.#scheduler.now() - this.#startedAt)),
    });
  }

  /** Ends the term: cancels its timers and forgets what it would have sent. */
  dispose(): void {
    this.#book.dispose();
    this.#mail.clear();
    this.#statusRequests.clear();
  }

  /** The record of an instrument heard from now; an unknown one is asked to say hello again. */
  #heardFrom(id: string): InstrumentRecord | undefined {
    return this.#instruments.heardFrom(id, this.#scheduler.now(), this.#options.instrumentLeaseMs, (unknown) => this.#mail.askHello(unknown));
  }

  /** One job of a held submission settled; the last one releases it once `sentWith` is sent (at once without). */
  #unhold(hold: SubmitHold, sentWith: (() => void)[] | undefined): void {
    hold.remaining -= 1;
    if (hold.remaining > 0) return;
    if (sentWith === undefined) hold.release();
    else sentWith.push(hold.release);
  }

  /** Takes a job off the queue, its delay or its instrument. */
  #unplace(record: JobRecord): void {
    this.#book.unplace(record);
    if (record.instrument !== undefined) this.#instruments.get(record.instrument)?.held.delete(record.id);
  }

  /** Settles a job for good and queues its outcome for its consumer. */
  #finish(record: JobRecord, item: SettleItem): void {
    this.#unplace(record);
    this.#book.delete(record);
    if (item.ok) this.counters.done += 1;
    else this.counters.failed += 1;
    this.#rate.record(1);
    this.#unhold(record.hold, this.#mail.settle(record.consumer, item, record.resultTtlMs));
  }

  #fail(record: JobRecord, error: Error): void {
    this.#finish(record, { id: record.id, ok: false, error: serializeError(error) });
  }

  /** Queues another run of a job, now (at the front: it waited its turn already) or after `delayMs`. */
  #runAgain(record: JobRecord, delayMs: number): void {
    this.#unplace(record);
    record.attempt += 1;
    if (delayMs === 0) {
      this.#book.enqueue(record, true);
      return;
    }
    const cancel = this.#scheduler.schedule(() => {
      if (this.#book.resume(record)) this.#onChange();
    }, delayMs);
    this.#book.delay(record, cancel);
  }

  /** Runs again, elsewhere, what a lost instrument held; a job lost too often fails for good. */
  #loseHeld(instrument: InstrumentRecord): void {
    const max = this.#options.maxLostRuns;
    for (const id of [...instrument.held]) {
      const record = this.#book.get(id);
      if (record === undefined) continue;
      record.lostRuns += 1;
      this.counters.lostRuns += 1;
      if (record.lostRuns > max) {
        this.#fail(record, new InstrumentLostError(`Job ${id} was lost with its instrument ${record.lostRuns} times (maxLostRuns ${max})`));
      } else this.#runAgain(record, 0);
    }
    instrument.held.clear();
  }
}
