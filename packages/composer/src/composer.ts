import {
  InstrumentLostError,
  InvalidArgumentError,
  JobCancelledError,
  consoleLogger,
  type Delivery,
  type Logger,
  type MailboxReceiver,
  type Network,
} from '@orchestra/core';
import {
  PROTOCOL_VERSION,
  checkNetwork,
  WIRE_LIMITS,
  isComposerMessage,
  isRetryable,
  mailboxes,
  newRoleId,
  serializeError,
  type Assignment,
  type CancelRequestMessage,
  type ComposerMessage,
  type ConsumerProgressMessage,
  type DoneMessage,
  type HelloMessage,
  type LeaveMessage,
  type SettleMessage,
  type StatusReplyMessage,
  type StatusSnapshot,
  type SubmitMessage,
} from '@orchestra/core/internal';
import { LeaseLostError } from './errors.js';
import { JobQueue } from './job-queue.js';
import { Outbox } from './outbox.js';
import { RateMeter } from './rate-meter.js';
import type { InstrumentRecord, JobRecord, SubmitHold } from './records.js';
import { retryDelay } from './retry-delay.js';

/** Options of {@link Composer}. */
export interface ComposerOptions {
  /** This composer's id, the holder name of its lease (default: a new unique id). */
  readonly id?: string;
  /**
   * How long the composer lease lasts unless renewed, in ms (default 5 000). A standby takes over
   * within about this long after the acting composer dies; a composer cut off for longer stops.
   */
  readonly leaseMs?: number;
  /**
   * How long an instrument may stay silent (instruments send a heartbeat every second) before the
   * jobs it holds are run elsewhere, in ms (default 5 000).
   */
  readonly instrumentLeaseMs?: number;
  /**
   * How many times a job's run may be lost with its instrument (killed, frozen, cut off) before the
   * job fails with `InstrumentLostError` rather than run again: a job that kills whatever runs it
   * must not loop forever (default 5).
   */
  readonly maxLostRuns?: number;
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
  /** Jobs waiting out a retry delay. */
  readonly delayed: number;
  readonly running: number;
  /** Jobs settled since start: `done + failed`. */
  readonly settled: number;
  /** Jobs that succeeded since start. */
  readonly done: number;
  /** Jobs that failed since start (cancelled ones included). */
  readonly failed: number;
  /** Runs that failed and were tried again. */
  readonly retried: number;
  /** Runs lost with their instrument and run again. */
  readonly lostRuns: number;
  /** Instruments given up on after staying silent past `instrumentLeaseMs`. */
  readonly lostInstruments: number;
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

function positiveInteger(value: number, name: string, min: number): number {
  if (!Number.isInteger(value) || value < min) throw new InvalidArgumentError(`${name} must be an integer of at least ${min}`);
  return value;
}

/**
 * Queues jobs and hands them out: one acting Composer per network. It holds the network's
 * composer lease, reads the composer mailbox, keeps the queue (priority, then first in first out),
 * sends each instrument as many jobs as it has credits for, many per message, and routes every
 * settlement to the consumer that added the job. It retries failed runs as their options say, runs
 * again elsewhere what a lost instrument held, and cancels on request.
 *
 * What must outlive it stays in the network: each submit message is held (left unacknowledged)
 * until every job in it has settled, so a standby that takes over the lease receives every job not
 * yet settled. Several composers may be started; one acts, the others stand by. It starts working
 * when constructed.
 */
export class Composer {
  /** This composer's id. */
  readonly id: string;
  readonly #network: Network;
  readonly #logger: Logger;
  readonly #leaseMs: number;
  readonly #instrumentLeaseMs: number;
  readonly #maxLostRuns: number;
  #queue = new JobQueue<JobRecord>();
  readonly #jobs = new Map<string, JobRecord>();
  readonly #instruments = new Map<string, InstrumentRecord>();
  /** Instruments asked to say hello again, with when to give up on them. */
  readonly #syncing = new Map<string, number>();
  /** How long each consumer's mailbox keeps results nobody reads, as it asked. */
  readonly #resultTtl = new Map<string, number>();
  readonly #outbox: Outbox;
  #receiver: MailboxReceiver | undefined;
  /** The previous receiver, while it closes after this composer stepped down. */
  #closingReceiver: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #epoch = 0;
  #acting = false;
  /** When the lease lapses by this process's clock; acting stops at that moment at the latest. */
  #leaseExpiresAt = 0;
  #lastRenewal = 0;
  /**
   * Since when every lease renewal succeeded (Infinity after one failed): an instrument is given up on
   * only for silence while this composer could reach the network, so an outage of its own (Redis
   * restarting) does not make it blame every instrument.
   */
  #reachableSince = Number.POSITIVE_INFINITY;
  #closed = false;
  #queued = 0;
  #waiting = 0;
  #succeeded = 0;
  #failed = 0;
  #retried = 0;
  #lostRuns = 0;
  #lostInstruments = 0;
  #invalid = 0;
  /** Instruments whose mailboxes are deleted after this batch (they left, or were given up on). */
  #departed: string[] = [];
  #dropped = 0;
  #rotation = 0;
  #settleOut = new Map<string, { items: SettleItem[]; releases: (() => void)[] }>();
  #progressOut = new Map<string, ProgressItem[]>();
  #cancelOut = new Map<string, string[]>();
  /** Observers waiting for a status snapshot, answered once the batch that asked is handled. */
  #statusOut = new Set<string>();
  readonly #rate = new RateMeter();
  /** When it started acting (performance.now()). */
  #actingSince = 0;

  constructor(network: Network, options: ComposerOptions = {}) {
    checkNetwork(network);
    this.#leaseMs = positiveInteger(options.leaseMs ?? 5_000, 'leaseMs', 100);
    this.#instrumentLeaseMs = positiveInteger(options.instrumentLeaseMs ?? 5_000, 'instrumentLeaseMs', 100);
    this.#maxLostRuns = positiveInteger(options.maxLostRuns ?? 5, 'maxLostRuns', 0);
    this.id = options.id ?? newRoleId('composer');
    this.#network = network;
    this.#logger = options.logger ?? consoleLogger;
    this.#outbox = new Outbox(network, this.#logger, () => this.#mayAct());
    void this.#tick();
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
      queued: this.#queued,
      delayed: this.#waiting,
      running: this.#jobs.size - this.#queued - this.#waiting,
      settled: this.#succeeded + this.#failed,
      done: this.#succeeded,
      failed: this.#failed,
      retried: this.#retried,
      lostRuns: this.#lostRuns,
      lostInstruments: this.#lostInstruments,
      jobsPerSecond: this.#rate.perSecond(),
      invalidMessages: this.#invalid,
      droppedSettlements: this.#dropped,
    };
  }

  #mayAct(): boolean {
    return this.#acting && !this.#closed && Date.now() < this.#leaseExpiresAt;
  }

  /** Housekeeping, several times a lease: renews (or takes) the lease, gives up on silent instruments. */
  async #tick(): Promise<void> {
    if (this.#closed) return;
    if (this.#acting && !this.#mayAct()) this.#stepDown('its lease lapsed before it could renew it');
    if (Date.now() - this.#lastRenewal >= this.#leaseMs / 3) await this.#renew();
    if (this.#mayAct()) this.#checkInstruments();
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#tick(), Math.min(250, Math.floor(this.#leaseMs / 3)));
    // The housekeeping timer alone must not keep a process alive once everything else is done.
    this.#timer.unref();
  }

  async #renew(): Promise<void> {
    this.#lastRenewal = Date.now();
    try {
      const grant = await this.#network.acquireLease('composer', this.id, this.#leaseMs);
      if (this.#closed) return;
      if (!Number.isFinite(this.#reachableSince)) this.#reachableSince = Date.now();
      if (grant === undefined) {
        if (this.#acting) this.#stepDown('another composer holds the lease');
        return;
      }
      if (this.#acting && grant.epoch !== this.#epoch) this.#stepDown('its lease passed to another epoch');
      this.#leaseExpiresAt = grant.expiresAt;
      if (!this.#acting) await this.#startActing(grant.epoch);
    } catch (error) {
      this.#reachableSince = Number.POSITIVE_INFINITY;
      if (!this.#closed) this.#logger.error('composer: could not renew its lease', { error });
    }
  }

  async #startActing(epoch: number): Promise<void> {
    // A receiver of an earlier term must be gone before a new one reads the mailbox.
    await this.#closingReceiver;
    if (this.#closed || Date.now() >= this.#leaseExpiresAt) return;
    this.#acting = true;
    this.#epoch = epoch;
    this.#actingSince = performance.now();
    // The receiver first claims what earlier composers held: every submission not yet settled.
    this.#receiver = this.#network.receive(mailboxes.composer, (messages, delivery) => this.#onMessages(messages, delivery));
  }

  /**
   * Stops acting at once: forgets its state (the network still holds every unsettled submission,
   * for whoever acts next) and closes its receiver without acknowledging what it was handed.
   */
  #stepDown(reason: string): void {
    if (!this.#acting) return;
    this.#logger.warn(`composer ${this.id}: stepping down, ${reason}`);
    this.#acting = false;
    const receiver = this.#receiver;
    this.#receiver = undefined;
    // Not awaited: this may run inside the receiver's own handler.
    this.#closingReceiver = receiver?.close().catch(() => undefined);
    for (const record of this.#jobs.values()) clearTimeout(record.timer);
    this.#jobs.clear();
    this.#queue = new JobQueue<JobRecord>();
    this.#queued = 0;
    this.#waiting = 0;
    this.#instruments.clear();
    this.#syncing.clear();
    this.#outbox.clear();
    this.#settleOut.clear();
    this.#progressOut.clear();
    this.#cancelOut.clear();
    this.#statusOut.clear();
    this.#departed = [];
  }

  async #onMessages(messages: readonly unknown[], delivery: Delivery): Promise<void> {
    if (!this.#mayAct()) {
      this.#stepDown('its lease lapsed (it was paused or cut off)');
      // Rejected, so nothing of this batch is acknowledged: the next composer gets all of it.
      throw new LeaseLostError(this.id);
    }
    messages.forEach((message, index) => {
      if (isComposerMessage(message)) this.#handle(message, index, delivery);
      else {
        this.#invalid += 1;
        this.#logger.warn('composer: set aside an invalid message', { reason: isComposerMessage.explain(message) });
      }
    });
    await this.#afterChanges();
  }

  /**
   * Sends what the changes so far call for: assignments, cancellations, settlements, progress,
   * status answers. Sends that fail are tried again by the outbox; submissions are released only
   * once the settlements of all their jobs are in the network.
   */
  async #afterChanges(): Promise<void> {
    this.#dispatch();
    this.#flushConsumers();
    this.#flushCancels();
    await Promise.all([...this.#outbox.flush(), ...this.#answerStatus(), ...this.#deleteDeparted()]);
  }

  /** The same, outside a handler call (a retry delay ended, an instrument was given up on). */
  #kick(): void {
    if (!this.#mayAct()) return;
    this.#afterChanges().catch((error: unknown) => this.#logger.error('composer: could not send', { error }));
  }

  /**
   * Deletes the mailboxes of instruments that left or were given up on, so they leave nothing
   * behind in a durable network. Safe: whatever they held was requeued.
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

  #handle(message: ComposerMessage, index: number, delivery: Delivery): void {
    switch (message.type) {
      case 'submit':
        return this.#submit(message, delivery.hold(index));
      case 'cancel':
        return this.#cancel(message);
      case 'hello':
        return this.#hello(message);
      case 'credit': {
        const instrument = this.#known(message.instrument);
        if (instrument === undefined) return;
        instrument.threads = message.threads;
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
          this.#outboxFor(this.#progressOut, record.consumer).push({ id: update.id, value: update.value });
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

  /**
   * The record of an instrument that is heard from, or undefined for one this composer does not
   * know (it acts since recently, or gave up on it): that one is asked to say hello again, since its
   * credits are counted from its hello.
   */
  #known(id: string): InstrumentRecord | undefined {
    const record = this.#instruments.get(id);
    if (record !== undefined) {
      record.lastSeen = Date.now();
      return record;
    }
    const asked = this.#syncing.get(id);
    if (asked === undefined || Date.now() > asked) {
      this.#syncing.set(id, Date.now() + this.#instrumentLeaseMs);
      this.#outbox.add(mailboxes.instrument(id), [{ v: PROTOCOL_VERSION, type: 'sync', epoch: this.#epoch }]);
    }
    return undefined;
  }

  #hello(message: HelloMessage): void {
    this.#syncing.delete(message.instrument);
    const earlier = this.#instruments.get(message.instrument);
    // A hello from an instrument this composer thought was running jobs: it started again, and
    // whatever it held died with its previous process.
    if (earlier !== undefined) this.#loseHeld(earlier);
    this.#instruments.set(message.instrument, {
      id: message.instrument,
      threads: message.threads,
      credits: message.credits,
      busy: message.busy,
      held: new Set(),
      lastSeen: Date.now(),
    });
  }

  #submit(message: SubmitMessage, release: () => void): void {
    if (message.resultTtlMs !== undefined) this.#resultTtl.set(message.consumer, message.resultTtlMs);
    const hold: SubmitHold = { remaining: 0, release };
    for (const job of message.jobs) {
      const existing = this.#jobs.get(job.id);
      if (existing !== undefined) {
        // Submitted again (a consumer's retry, a redelivery): queued once, held by the newest submission.
        if (existing.hold !== hold) {
          this.#unhold(existing.hold, undefined);
          existing.hold = hold;
          hold.remaining += 1;
        }
        continue;
      }
      const record: JobRecord = {
        id: job.id,
        script: job.script,
        params: job.params,
        priority: job.priority ?? 0,
        consumer: message.consumer,
        attempts: job.attempts ?? 1,
        backoff: job.backoff,
        timeout: job.timeout,
        attempt: 1,
        failures: 0,
        lostRuns: 0,
        state: 'queued',
        instrument: undefined,
        hold,
        timer: undefined,
      };
      hold.remaining += 1;
      this.#jobs.set(job.id, record);
      this.#enqueue(record, false);
    }
    if (hold.remaining === 0) release();
  }

  /** One job of a held submission settled; the last one releases it once `sentWith` is sent. */
  #unhold(hold: SubmitHold, sentWith: (() => void)[] | undefined): void {
    hold.remaining -= 1;
    if (hold.remaining > 0) return;
    if (sentWith === undefined) hold.release();
    else sentWith.push(hold.release);
  }

  #enqueue(record: JobRecord, front: boolean): void {
    record.state = 'queued';
    record.instrument = undefined;
    this.#queued += 1;
    if (front) this.#queue.unshift(record, record.priority);
    else this.#queue.push(record, record.priority);
  }

  /** Leaves its current place (queue, delay, instrument) for good or for another run. */
  #detach(record: JobRecord): void {
    if (record.state === 'queued') this.#queued -= 1; // its queue entry is skipped when reached
    if (record.state === 'waiting') {
      this.#waiting -= 1;
      clearTimeout(record.timer);
      record.timer = undefined;
    }
    if (record.instrument !== undefined) this.#instruments.get(record.instrument)?.held.delete(record.id);
  }

  /** Settles a job for good and sends its outcome to its consumer. */
  #finish(record: JobRecord, item: SettleItem): void {
    this.#detach(record);
    this.#jobs.delete(record.id);
    if (item.ok) this.#succeeded += 1;
    else this.#failed += 1;
    this.#rate.record(1);
    let out = this.#settleOut.get(record.consumer);
    if (out === undefined) {
      out = { items: [], releases: [] };
      this.#settleOut.set(record.consumer, out);
    }
    out.items.push(item);
    this.#unhold(record.hold, out.releases);
  }

  #fail(record: JobRecord, error: Error): void {
    this.#finish(record, { id: record.id, ok: false, error: serializeError(error) });
  }

  #done(message: DoneMessage): void {
    const instrument = this.#known(message.instrument);
    if (instrument !== undefined) {
      instrument.credits += message.credits;
      if (message.busy !== undefined) instrument.busy = message.busy;
    }
    for (const settlement of message.settlements) {
      const record = this.#jobs.get(settlement.id);
      if (record?.state !== 'running' || record.attempt !== settlement.attempt || record.instrument !== message.instrument) {
        this.#dropped += 1;
        continue;
      }
      if (settlement.ok) {
        this.#finish(record, settlement.result === undefined ? { id: record.id, ok: true } : { id: record.id, ok: true, result: settlement.result });
      } else if (isRetryable(settlement.error) && record.failures + 1 < record.attempts) {
        record.failures += 1;
        this.#retried += 1;
        this.#runAgain(record, retryDelay(record.backoff, record.failures));
      } else {
        this.#finish(record, { id: record.id, ok: false, error: settlement.error });
      }
    }
  }

  /** Queues another run of a job, now (at the front: it waited its turn already) or after `delayMs`. */
  #runAgain(record: JobRecord, delayMs: number): void {
    this.#detach(record);
    record.attempt += 1;
    record.instrument = undefined;
    if (delayMs === 0) {
      this.#enqueue(record, true);
      return;
    }
    record.state = 'waiting';
    this.#waiting += 1;
    record.timer = setTimeout(() => {
      record.timer = undefined;
      if (this.#jobs.get(record.id) !== record || record.state !== 'waiting') return;
      this.#waiting -= 1;
      this.#enqueue(record, false);
      this.#kick();
    }, delayMs);
  }

  #cancel(message: CancelRequestMessage): void {
    for (const id of message.ids) {
      const record = this.#jobs.get(id);
      // Only the consumer that added a job may cancel it; a settled job has nothing left to cancel.
      if (record?.consumer !== message.consumer) continue;
      if (record.state === 'running' && record.instrument !== undefined) this.#outboxFor(this.#cancelOut, record.instrument).push(id);
      this.#fail(record, new JobCancelledError(`Job ${id} was cancelled`));
    }
  }

  /** Runs again, elsewhere, what a lost instrument held; a job lost too often fails for good. */
  #loseHeld(instrument: InstrumentRecord): void {
    for (const id of [...instrument.held]) {
      const record = this.#jobs.get(id);
      if (record === undefined) continue;
      record.lostRuns += 1;
      this.#lostRuns += 1;
      if (record.lostRuns > this.#maxLostRuns) {
        this.#fail(
          record,
          new InstrumentLostError(`Job ${id} was lost with its instrument ${record.lostRuns} times (maxLostRuns ${this.#maxLostRuns})`),
        );
      } else this.#runAgain(record, 0);
    }
    instrument.held.clear();
  }

  /** Gives up on instruments silent past their lease, and on unanswered hello requests. */
  #checkInstruments(): void {
    const now = Date.now();
    // Silence counts only from when this composer could reach the network: if it was the one cut
    // off, blaming the instruments would only run their jobs twice.
    if (!Number.isFinite(this.#reachableSince)) return;
    let changed = false;
    for (const instrument of [...this.#instruments.values()]) {
      if (now - Math.max(instrument.lastSeen, this.#reachableSince) <= this.#instrumentLeaseMs) continue;
      this.#logger.warn(`composer: instrument ${instrument.id} was silent for ${now - instrument.lastSeen} ms; running its jobs elsewhere`);
      this.#instruments.delete(instrument.id);
      this.#lostInstruments += 1;
      this.#loseHeld(instrument);
      this.#departed.push(instrument.id);
      changed = true;
    }
    for (const [id, deadline] of this.#syncing) {
      if (now <= deadline) continue;
      // It never answered: nobody reads that mailbox any more.
      this.#syncing.delete(id);
      this.#departed.push(id);
      changed = true;
    }
    if (changed) this.#kick();
  }

  #leave(message: LeaveMessage): void {
    const instrument = this.#instruments.get(message.instrument);
    this.#syncing.delete(message.instrument);
    if (instrument === undefined) return;
    this.#instruments.delete(message.instrument);
    this.#departed.push(message.instrument);
    // Everything it still held goes back to the front of the queue as a new run, so a late
    // settlement from it is recognised as stale. Handed back, not lost: no lost run is counted.
    for (const id of instrument.held) {
      const record = this.#jobs.get(id);
      if (record !== undefined) this.#runAgain(record, 0);
    }
  }

  #outboxFor<T>(outboxes: Map<string, T[]>, key: string): T[] {
    let box = outboxes.get(key);
    if (box === undefined) {
      box = [];
      outboxes.set(key, box);
    }
    return box;
  }

  /** Hands queued jobs to instruments in proportion to their credits; one message per instrument. */
  #dispatch(): void {
    if (this.#queued === 0) return;
    const ready = [...this.#instruments.values()].filter((i) => i.credits > 0);
    if (ready.length === 0) return;
    const totalCredits = ready.reduce((sum, i) => sum + i.credits, 0);
    const toAssign = Math.min(this.#queued, totalCredits);
    this.#rotation = (this.#rotation + 1) % ready.length;
    for (let n = 0; n < ready.length; n += 1) {
      const instrument = ready[(this.#rotation + n) % ready.length] as InstrumentRecord;
      const share = Math.min(instrument.credits, Math.ceil((toAssign * instrument.credits) / totalCredits));
      const jobs: Assignment[] = [];
      while (jobs.length < share) {
        const record = this.#queue.shift();
        if (record === undefined) break;
        // Entries of jobs that left the queue (cancelled, settled) are skipped here, not searched for.
        if (record.state !== 'queued' || this.#jobs.get(record.id) !== record) continue;
        this.#queued -= 1;
        record.state = 'running';
        record.instrument = instrument.id;
        instrument.held.add(record.id);
        const assignment: Assignment = { id: record.id, script: record.script, attempt: record.attempt };
        if (record.params !== undefined) assignment.params = record.params;
        if (record.timeout !== undefined) assignment.timeout = record.timeout;
        jobs.push(assignment);
      }
      if (jobs.length === 0) break;
      instrument.credits -= jobs.length;
      const messages = chunks(jobs, WIRE_LIMITS.maxBatch).map((batch) => ({
        v: PROTOCOL_VERSION,
        type: 'assign' as const,
        epoch: this.#epoch,
        jobs: batch,
      }));
      this.#outbox.add(mailboxes.instrument(instrument.id), messages);
    }
  }

  #flushCancels(): void {
    const cancels = this.#cancelOut;
    if (cancels.size === 0) return;
    this.#cancelOut = new Map();
    for (const [instrument, ids] of cancels) {
      const messages = chunks(ids, WIRE_LIMITS.maxBatch).map((batch) => ({ v: PROTOCOL_VERSION, type: 'cancel' as const, epoch: this.#epoch, ids: batch }));
      this.#outbox.add(mailboxes.instrument(instrument), messages);
    }
  }

  /** Queues each consumer's settlements and progress: one message of each kind per batch handled. */
  #flushConsumers(): void {
    const settle = this.#settleOut;
    const progress = this.#progressOut;
    if (settle.size === 0 && progress.size === 0) return;
    this.#settleOut = new Map();
    this.#progressOut = new Map();
    for (const [consumer, items] of progress) {
      const messages = chunks(items, WIRE_LIMITS.maxBatch).map((updates) => ({
        v: PROTOCOL_VERSION,
        type: 'progress' as const,
        epoch: this.#epoch,
        updates,
      }));
      this.#outbox.add(mailboxes.consumer(consumer), messages, { expireAfterMs: this.#resultTtl.get(consumer) });
    }
    for (const [consumer, { items, releases }] of settle) {
      const messages = chunks(items, WIRE_LIMITS.maxBatch).map((settlements) => ({
        v: PROTOCOL_VERSION,
        type: 'settle' as const,
        epoch: this.#epoch,
        settlements,
      }));
      this.#outbox.add(mailboxes.consumer(consumer), messages, { expireAfterMs: this.#resultTtl.get(consumer), onSent: releases });
    }
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
      queued: this.#queued + this.#waiting,
      running: this.#jobs.size - this.#queued - this.#waiting,
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
        .send(mailboxes.observer(observer), [reply], { expireAfterMs: 60_000 })
        .catch((error: unknown) => this.#logger.warn('composer: could not answer a status request', { observer, error })),
    );
  }

  /** Stops acting and releases the lease so a standby can take over at once. Idempotent. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    const wasActing = this.#acting;
    for (const record of this.#jobs.values()) clearTimeout(record.timer);
    this.#outbox.clear();
    this.#acting = false;
    await this.#receiver?.close();
    await this.#closingReceiver;
    if (wasActing) await this.#network.releaseLease('composer', this.id).catch(() => undefined);
  }
}
