import {
  InvalidArgumentError,
  consoleLogger,
  type Logger,
  type MailboxReceiver,
  type Network,
} from '@orchestra/core';
import {
  PROTOCOL_VERSION,
  checkNetwork,
  WIRE_LIMITS,
  isComposerMessage,
  mailboxes,
  newRoleId,
  type Assignment,
  type ComposerMessage,
  type ConsumerProgressMessage,
  type DoneMessage,
  type LeaveMessage,
  type SettleMessage,
  type StatusReplyMessage,
  type StatusSnapshot,
  type SubmitMessage,
} from '@orchestra/core/internal';
import { JobQueue } from './job-queue.js';
import { RateMeter } from './rate-meter.js';
import type { InstrumentRecord, JobRecord } from './records.js';

/** Options of {@link Composer}. */
export interface ComposerOptions {
  /** This composer's id, the holder name of its lease (default: a new unique id). */
  readonly id?: string;
  /** How long the composer lease lasts unless renewed, in ms (default 10 000). */
  readonly leaseMs?: number;
  /** Where problems are reported (default: the console). */
  readonly logger?: Logger;
}

/** Counters a composer keeps, for monitoring. */
export interface ComposerStats {
  /** True while this composer holds the lease and does the work; false while it stands by. */
  readonly acting: boolean;
  /** Its lease epoch (0 before it first acted). */
  readonly epoch: number;
  readonly instruments: number;
  readonly threads: number;
  readonly queued: number;
  readonly running: number;
  /** Jobs settled since start: `done + failed`. */
  readonly settled: number;
  /** Jobs that succeeded since start. */
  readonly done: number;
  /** Jobs that failed since start. */
  readonly failed: number;
  /** Jobs settled per second over the last few (about 5) seconds. */
  readonly jobsPerSecond: number;
  /** Messages read from the network that failed validation and were set aside. */
  readonly invalidMessages: number;
  /** Settlements dropped as late or duplicate (an older attempt, or an instrument that no longer held the job). */
  readonly droppedSettlements: number;
}

type SettleItem = SettleMessage['settlements'][number];
type ProgressItem = ConsumerProgressMessage['updates'][number];

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Queues jobs and hands them out: one acting Composer per network. It holds the network's
 * composer lease, reads the composer mailbox, keeps the queue (priority, then first in first out),
 * sends each instrument as many jobs as it has credits for, many per message, and routes every
 * settlement to the consumer that added the job. It starts working when constructed.
 */
export class Composer {
  /** This composer's id. */
  readonly id: string;
  readonly #network: Network;
  readonly #logger: Logger;
  readonly #leaseMs: number;
  readonly #queue = new JobQueue<JobRecord>();
  readonly #jobs = new Map<string, JobRecord>();
  readonly #instruments = new Map<string, InstrumentRecord>();
  #receiver: MailboxReceiver | undefined;
  #timer: NodeJS.Timeout | undefined;
  #epoch = 0;
  #acting = false;
  #closed = false;
  #succeeded = 0;
  #failed = 0;
  #invalid = 0;
  /** Instruments whose `leave` was handled in this batch; their mailboxes are deleted after it. */
  #departed: string[] = [];
  #dropped = 0;
  #rotation = 0;
  #settleOut = new Map<string, SettleItem[]>();
  #progressOut = new Map<string, ProgressItem[]>();
  /** Observers waiting for a status snapshot, answered once the batch that asked is handled. */
  #statusOut = new Set<string>();
  readonly #rate = new RateMeter();
  /** When it started acting (performance.now()). */
  #actingSince = 0;

  constructor(network: Network, options: ComposerOptions = {}) {
    checkNetwork(network);
    const leaseMs = options.leaseMs ?? 10_000;
    if (!Number.isInteger(leaseMs) || leaseMs < 100) throw new InvalidArgumentError('leaseMs must be an integer of at least 100');
    this.id = options.id ?? newRoleId('composer');
    this.#network = network;
    this.#logger = options.logger ?? consoleLogger;
    this.#leaseMs = leaseMs;
    void this.#tickLease();
  }

  /** Counters for monitoring. */
  stats(): ComposerStats {
    let threads = 0;
    for (const instrument of this.#instruments.values()) threads += instrument.threads;
    return {
      acting: this.#acting,
      epoch: this.#epoch,
      instruments: this.#instruments.size,
      threads,
      queued: this.#queue.size,
      running: this.#jobs.size - this.#queue.size,
      settled: this.#succeeded + this.#failed,
      done: this.#succeeded,
      failed: this.#failed,
      jobsPerSecond: this.#rate.perSecond(),
      invalidMessages: this.#invalid,
      droppedSettlements: this.#dropped,
    };
  }

  /** Takes or renews the lease; starts acting when it is granted. Runs every third of the lease. */
  async #tickLease(): Promise<void> {
    if (this.#closed) return;
    try {
      const grant = await this.#network.acquireLease('composer', this.id, this.#leaseMs);
      if (this.#closed) return;
      if (grant !== undefined && !this.#acting) {
        this.#acting = true;
        this.#epoch = grant.epoch;
        this.#actingSince = performance.now();
        this.#receiver = this.#network.receive(mailboxes.composer, (messages) => this.#onMessages(messages));
      }
    } catch (error) {
      if (!this.#closed) this.#logger.error('composer: could not renew its lease', { error });
    }
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#tickLease(), Math.floor(this.#leaseMs / 3));
    // The lease timer alone must not keep a process alive once everything else is done.
    this.#timer.unref();
  }

  async #onMessages(messages: readonly unknown[]): Promise<void> {
    for (const message of messages) {
      if (isComposerMessage(message)) this.#handle(message);
      else {
        this.#invalid += 1;
        this.#logger.warn('composer: set aside an invalid message', { reason: isComposerMessage.explain(message) });
      }
    }
    // Acknowledged only once everything it caused is sent on: a crash before then redelivers it.
    // Status is answered last, so the snapshot shows what this batch changed.
    await Promise.all([...this.#dispatch(), ...this.#flushConsumers(), ...this.#answerStatus(), ...this.#deleteDeparted()]);
  }

  /**
   * Deletes the mailboxes of instruments that left, so departed instruments leave nothing behind
   * in a durable network. Safe: whatever was still in one was requeued when its `leave` arrived.
   */
  #deleteDeparted(): Promise<void>[] {
    const departed = this.#departed;
    if (departed.length === 0) return [];
    this.#departed = [];
    return departed.map((id) =>
      this.#network.deleteMailbox(mailboxes.instrument(id)).catch((error: unknown) => {
        this.#logger.warn(`composer: could not delete the mailbox of departed instrument ${id}`, { error });
      }),
    );
  }

  #handle(message: ComposerMessage): void {
    switch (message.type) {
      case 'submit':
        return this.#submit(message);
      case 'credit': {
        const instrument = this.#instrument(message.instrument, message.threads);
        instrument.credits += message.credits;
        if (message.busy !== undefined) instrument.busy = message.busy;
        return;
      }
      case 'done':
        return this.#done(message);
      case 'progress':
        for (const update of message.updates) {
          const record = this.#jobs.get(update.id);
          if (record?.attempt !== update.attempt || record.instrument !== message.instrument) continue;
          this.#outbox(this.#progressOut, record.consumer).push({ id: update.id, value: update.value });
        }
        return;
      case 'leave':
        return this.#leave(message);
      case 'status':
        // Nobody waits for an answer after expiresAt; answering would leave an unread mailbox behind.
        if (message.expiresAt === undefined || Date.now() <= message.expiresAt) this.#statusOut.add(message.replyTo);
        return;
    }
  }

  #instrument(id: string, threads?: number): InstrumentRecord {
    let record = this.#instruments.get(id);
    if (record === undefined) {
      record = { id, threads: threads ?? 0, credits: 0, busy: undefined, held: new Set() };
      this.#instruments.set(id, record);
    } else if (threads !== undefined) record.threads = threads;
    return record;
  }

  #submit(message: SubmitMessage): void {
    for (const job of message.jobs) {
      // A submission delivered twice (a consumer's retry, a redelivery) queues the job once.
      if (this.#jobs.has(job.id)) continue;
      const record: JobRecord = {
        id: job.id,
        script: job.script,
        params: job.params,
        priority: job.priority ?? 0,
        consumer: message.consumer,
        attempt: 1,
        instrument: undefined,
      };
      this.#jobs.set(job.id, record);
      this.#queue.push(record, record.priority);
    }
  }

  #done(message: DoneMessage): void {
    const instrument = this.#instrument(message.instrument);
    instrument.credits += message.credits;
    if (message.busy !== undefined) instrument.busy = message.busy;
    let settled = 0;
    for (const settlement of message.settlements) {
      const record = this.#jobs.get(settlement.id);
      if (record?.attempt !== settlement.attempt || record.instrument !== message.instrument) {
        this.#dropped += 1;
        continue;
      }
      this.#jobs.delete(record.id);
      instrument.held.delete(record.id);
      settled += 1;
      if (settlement.ok) this.#succeeded += 1;
      else this.#failed += 1;
      const item: SettleItem = settlement.ok
        ? settlement.result === undefined
          ? { id: record.id, ok: true }
          : { id: record.id, ok: true, result: settlement.result }
        : { id: record.id, ok: false, error: settlement.error };
      this.#outbox(this.#settleOut, record.consumer).push(item);
    }
    if (settled > 0) this.#rate.record(settled);
  }

  #leave(message: LeaveMessage): void {
    const instrument = this.#instruments.get(message.instrument);
    if (instrument === undefined) return;
    this.#instruments.delete(message.instrument);
    this.#departed.push(message.instrument);
    // Everything it still held goes back to the front of the queue as a new attempt, so a late
    // settlement from it is recognised as stale.
    for (const id of instrument.held) {
      const record = this.#jobs.get(id);
      if (record === undefined) continue;
      record.attempt += 1;
      record.instrument = undefined;
      this.#queue.unshift(record, record.priority);
    }
  }

  #outbox<T>(outboxes: Map<string, T[]>, consumer: string): T[] {
    let box = outboxes.get(consumer);
    if (box === undefined) {
      box = [];
      outboxes.set(consumer, box);
    }
    return box;
  }

  /** Hands queued jobs to instruments in proportion to their credits; one message per instrument. */
  #dispatch(): Promise<void>[] {
    const sends: Promise<void>[] = [];
    if (this.#queue.size === 0) return sends;
    const ready = [...this.#instruments.values()].filter((i) => i.credits > 0);
    if (ready.length === 0) return sends;
    const totalCredits = ready.reduce((sum, i) => sum + i.credits, 0);
    const toAssign = Math.min(this.#queue.size, totalCredits);
    this.#rotation = (this.#rotation + 1) % ready.length;
    for (let n = 0; n < ready.length; n += 1) {
      const instrument = ready[(this.#rotation + n) % ready.length] as InstrumentRecord;
      const share = Math.min(instrument.credits, Math.ceil((toAssign * instrument.credits) / totalCredits));
      const jobs: Assignment[] = [];
      while (jobs.length < share) {
        const record = this.#queue.shift();
        if (record === undefined) break;
        record.instrument = instrument.id;
        instrument.held.add(record.id);
        jobs.push(
          record.params === undefined
            ? { id: record.id, script: record.script, attempt: record.attempt }
            : { id: record.id, script: record.script, params: record.params, attempt: record.attempt },
        );
      }
      if (jobs.length === 0) break;
      instrument.credits -= jobs.length;
      const messages = chunks(jobs, WIRE_LIMITS.maxBatch).map((batch) => ({
        v: PROTOCOL_VERSION,
        type: 'assign' as const,
        epoch: this.#epoch,
        jobs: batch,
      }));
      sends.push(this.#network.send(mailboxes.instrument(instrument.id), messages));
    }
    return sends;
  }

  /** Sends each consumer its settlements and progress: one message of each kind per batch handled. */
  #flushConsumers(): Promise<void>[] {
    const sends: Promise<void>[] = [];
    const settle = this.#settleOut;
    const progress = this.#progressOut;
    this.#settleOut = new Map();
    this.#progressOut = new Map();
    for (const [consumer, items] of progress) {
      const messages = chunks(items, WIRE_LIMITS.maxBatch).map((updates) => ({
        v: PROTOCOL_VERSION,
        type: 'progress' as const,
        epoch: this.#epoch,
        updates,
      }));
      sends.push(this.#network.send(mailboxes.consumer(consumer), messages));
    }
    for (const [consumer, items] of settle) {
      const messages = chunks(items, WIRE_LIMITS.maxBatch).map((settlements) => ({
        v: PROTOCOL_VERSION,
        type: 'settle' as const,
        epoch: this.#epoch,
        settlements,
      }));
      sends.push(this.#network.send(mailboxes.consumer(consumer), messages));
    }
    return sends;
  }

  /** What this composer knows of its network now, as a status reply carries it. */
  #snapshot(): StatusSnapshot {
    const instruments: StatusSnapshot['instruments'] = [];
    for (const record of this.#instruments.values()) {
      // The wire bounds the list; the totals below still count every job.
      if (instruments.length === WIRE_LIMITS.maxBatch) break;
      const held = record.held.size;
      const busy = Math.min(record.threads, record.busy ?? held);
      instruments.push({ id: record.id, threads: record.threads, busy, held });
    }
    return {
      instruments,
      queued: this.#queue.size,
      running: this.#jobs.size - this.#queue.size,
      done: this.#succeeded,
      failed: this.#failed,
      jobsPerSecond: this.#rate.perSecond(),
      uptimeMs: Math.max(0, Math.round(performance.now() - this.#actingSince)),
    };
  }

  /** Answers the status requests of the batch just handled: one reply per observer. */
  #answerStatus(): Promise<void>[] {
    if (this.#statusOut.size === 0) return [];
    const observers = this.#statusOut;
    this.#statusOut = new Set();
    const reply: StatusReplyMessage = {
      v: PROTOCOL_VERSION,
      type: 'status',
      epoch: this.#epoch,
      composer: this.id,
      snapshot: this.#snapshot(),
    };
    // A lost answer is not worth handling the whole batch again: the observer times out and may ask again.
    return [...observers].map((observer) =>
      this.#network
        .send(mailboxes.observer(observer), [reply])
        .catch((error: unknown) => this.#logger.warn('composer: could not answer a status request', { observer, error })),
    );
  }

  /** Stops acting and releases the lease so a standby can take over at once. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#receiver?.close();
    if (this.#acting) await this.#network.releaseLease('composer', this.id).catch(() => undefined);
    this.#acting = false;
  }
}
