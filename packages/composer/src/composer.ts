import { consoleLogger, type Delivery, type Logger, type MailboxReceiver, type Network } from '@orchestra/core';
import {
  Intake,
  PROTOCOL_VERSION,
  RetryingSender,
  checkNetwork,
  integerOption,
  isComposerMessage,
  mailboxes,
  newRoleId,
  type ComposerMessage,
  type StatusReplyMessage,
} from '@orchestra/core/internal';
import { ActingTerm, type TermOptions } from './acting-term.js';
import type { ComposerOptions, ComposerStats } from './composer-options.js';
import { LeaseLostError } from './errors.js';
import { systemScheduler } from './scheduler.js';
import { TermCounters } from './term-counters.js';
import type { Parcel } from './term-mail.js';

export type { ComposerOptions, ComposerStats } from './composer-options.js';

/** Every consumer mailbox's name starts so. */
const CONSUMER_MAILBOX = mailboxes.consumer('');

/** A gap between housekeeping ticks longer than this means the process itself stalled. */
const STALL_MS = 1_000;

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
 *
 * This class holds the lease, the receiver and the sender; what it knows and decides while it acts
 * lives in its {@link ActingTerm}, created when it starts acting and dropped whole when it stops.
 */
export class Composer {
  /** This composer's id. */
  readonly id: string;
  readonly #network: Network;
  readonly #logger: Logger;
  readonly #leaseMs: number;
  readonly #termOptions: TermOptions;
  readonly #intake: Intake<ComposerMessage>;
  /** The acting term, while this composer acts. */
  #term: ActingTerm | undefined;
  /** The counts of the terms that ended, so that stats count since start. */
  readonly #earlier = new TermCounters();
  /** One retrying sender per mailbox with something to send; dropped once it has sent everything. */
  readonly #senders = new Map<string, RetryingSender>();
  #receiver: MailboxReceiver | undefined;
  /** The previous receiver, while it closes after this composer stepped down. */
  #closingReceiver: Promise<void> | undefined;
  #timer: NodeJS.Timeout | undefined;
  #epoch = 0;
  /** When the lease lapses by this process's clock; acting stops at that moment at the latest. */
  #leaseExpiresAt = 0;
  #lastRenewal = 0;
  #lastTick = 0;
  /** Times the lease lapsed (or was lost) and came back to this composer with its term intact. */
  #resumes = 0;
  /**
   * Since when every lease renewal succeeded (Infinity after one failed): an instrument is given up on
   * only for silence while this composer could reach the network, so an outage of its own (Redis
   * restarting) does not make it blame every instrument.
   */
  #reachableSince = Number.POSITIVE_INFINITY;
  #closed = false;

  constructor(network: Network, options: ComposerOptions = {}) {
    checkNetwork(network);
    this.#leaseMs = integerOption(options.leaseMs ?? 5_000, 'leaseMs', { min: 100 });
    this.#termOptions = {
      instrumentLeaseMs: integerOption(options.instrumentLeaseMs ?? 5_000, 'instrumentLeaseMs', { min: 100 }),
      maxLostRuns: integerOption(options.maxLostRuns ?? 5, 'maxLostRuns', { min: 0 }),
    };
    this.id = options.id ?? newRoleId('composer');
    this.#network = network;
    this.#logger = options.logger ?? consoleLogger;
    this.#intake = new Intake('composer', isComposerMessage, this.#logger);
    void this.#tick();
  }

  /** Counters for monitoring. */
  stats(): ComposerStats {
    const term = this.#term;
    const counts = new TermCounters();
    counts.add(this.#earlier);
    if (term !== undefined) counts.add(term.counters);
    return {
      acting: term !== undefined,
      epoch: this.#epoch,
      instruments: term?.instruments ?? 0,
      threads: term?.threads ?? 0,
      queued: term?.queued ?? 0,
      delayed: term?.delayed ?? 0,
      running: term?.running ?? 0,
      settled: counts.done + counts.failed,
      done: counts.done,
      failed: counts.failed,
      retried: counts.retried,
      lostRuns: counts.lostRuns,
      lostInstruments: counts.lostInstruments,
      jobsPerSecond: term?.jobsPerSecond() ?? 0,
      invalidMessages: this.#intake.invalid,
      droppedSettlements: counts.droppedSettlements,
      leaseResumes: this.#resumes,
    };
  }

  #mayAct(): boolean {
    return this.#term !== undefined && !this.#closed && Date.now() < this.#leaseExpiresAt;
  }

  /** Housekeeping, several times a lease: renews (or takes) the lease, gives up on silent instruments. */
  async #tick(): Promise<void> {
    if (this.#closed) return;
    const now = Date.now();
    // Ticks come every 250 ms at most; a longer gap means this process stalled (a blocked event
    // loop, a paused VM). Heartbeats that arrived meanwhile are unread, so instruments are judged
    // from now, as after an outage of its own.
    if (this.#lastTick !== 0 && now - this.#lastTick > STALL_MS) this.#reachableSince = Math.max(this.#reachableSince, now);
    this.#lastTick = now;
    // A lapsed lease is renewed at once: if nobody took it meanwhile, the term goes on (see #renew).
    const lapsed = this.#term !== undefined && !this.#mayAct();
    if (lapsed || now - this.#lastRenewal >= this.#leaseMs / 3) await this.#renew(lapsed);
    if (this.#mayAct() && this.#term?.checkInstruments(this.#reachableSince) === true) this.#kick();
    if (this.#closed) return;
    this.#timer = setTimeout(() => void this.#tick(), Math.min(250, Math.floor(this.#leaseMs / 3)));
    // The housekeeping timer alone must not keep a process alive once everything else is done.
    this.#timer.unref();
  }

  /**
   * Renews (or takes) the lease. A lease that lapsed under this composer, its own process having
   * stalled, comes back `resumed` with a new epoch when no other composer took it meanwhile: the
   * term's state is still the newest, so it goes on under the new epoch (which still fences
   * anything sent late under the old one). It steps down only when another composer acted.
   */
  async #renew(lapsed = false): Promise<void> {
    this.#lastRenewal = Date.now();
    try {
      const grant = await this.#network.acquireLease('composer', this.id, this.#leaseMs);
      if (this.#closed) return;
      if (!Number.isFinite(this.#reachableSince)) this.#reachableSince = Date.now();
      if (grant === undefined) {
        this.#stepDown(lapsed ? 'its lease lapsed and another composer took it' : 'another composer holds the lease');
        return;
      }
      const term = this.#term;
      if (term !== undefined && grant.epoch !== this.#epoch) {
        if (grant.resumed === true) {
          this.#logger.warn(
            `composer ${this.id}: took its lease again (epoch ${String(this.#epoch)} to ${String(grant.epoch)}) after it lapsed or was lost; ` +
              'no other composer acted meanwhile, so it keeps its queue',
          );
          this.#epoch = grant.epoch;
          term.continueAs(grant.epoch);
          this.#resumes += 1;
        } else {
          this.#stepDown('its lease passed to another epoch');
        }
      }
      this.#leaseExpiresAt = grant.expiresAt;
      if (this.#term === undefined) await this.#startActing(grant.epoch);
      else if (lapsed) this.#kick();
    } catch (error) {
      this.#reachableSince = Number.POSITIVE_INFINITY;
      if (!this.#closed) this.#logger.error('composer: could not renew its lease', { error });
      if (lapsed) this.#stepDown('its lease lapsed and it could not renew it');
    }
  }

  async #startActing(epoch: number): Promise<void> {
    // A receiver of an earlier term must be gone before a new one reads the mailbox.
    await this.#closingReceiver;
    if (this.#closed || Date.now() >= this.#leaseExpiresAt) return;
    this.#epoch = epoch;
    this.#term = new ActingTerm(epoch, this.#termOptions, systemScheduler, this.#logger, () => this.#kick());
    // The receiver first claims what earlier composers held: every submission not yet settled.
    this.#receiver = this.#network.receive(mailboxes.composer, (messages, delivery) => this.#onMessages(messages, delivery), {
      // A batch refused while the lease is being renewed comes again; that is no error to report.
      onError: (error) => {
        if (!(error instanceof LeaseLostError)) this.#logger.error('composer: could not read its mailbox', { error });
      },
    });
  }

  /**
   * Stops acting at once: drops the term (the network still holds every unsettled submission, for
   * whoever acts next) and closes its receiver without acknowledging what it was handed.
   */
  #stepDown(reason: string): void {
    if (this.#term === undefined) return;
    this.#logger.warn(`composer ${this.id}: stepping down, ${reason}`);
    this.#endTerm();
    const receiver = this.#receiver;
    this.#receiver = undefined;
    // Not awaited: this may run inside the receiver's own handler.
    this.#closingReceiver = receiver?.close().catch(() => undefined);
  }

  /** Drops the acting term whole, and whatever it still had to send. */
  #endTerm(): void {
    const term = this.#term;
    if (term === undefined) return;
    this.#term = undefined;
    this.#earlier.add(term.counters);
    term.dispose();
    for (const sender of this.#senders.values()) sender.stop();
    this.#senders.clear();
  }

  async #onMessages(messages: readonly unknown[], delivery: Delivery): Promise<void> {
    const term = this.#term;
    if (term === undefined || !this.#mayAct()) {
      // Rejected, so nothing of this batch is acknowledged: it comes again, to this composer once
      // the lease is renewed (see #tick), or to the next composer.
      throw new LeaseLostError(this.id);
    }
    this.#intake.read(messages, (message, index) => term.handle(message, () => delivery.hold(index)));
    await this.#afterChanges(term);
  }

  /**
   * Sends what the term decided: assignments, cancellations, settlements, progress, status
   * answers. Sends that fail are tried again by their sender; submissions are released only once
   * the settlements of all their jobs are in the network.
   */
  async #afterChanges(term: ActingTerm): Promise<void> {
    const parcels = term.outgoing();
    await Promise.all([...parcels.map((parcel) => this.#send(parcel)), ...this.#answerStatus(term), ...this.#deleteDeparted(term)]);
  }

  /** The same, outside a handler call (a retry delay ended, an instrument was given up on). */
  #kick(): void {
    const term = this.#term;
    if (term === undefined || !this.#mayAct()) return;
    this.#afterChanges(term).catch((error: unknown) => this.#logger.error('composer: could not send', { error }));
  }

  async #send(parcel: Parcel): Promise<void> {
    let sender = this.#senders.get(parcel.mailbox);
    if (sender === undefined) {
      sender = new RetryingSender(this.#network, parcel.mailbox, this.#logger, 'composer', {
        mayRetry: () => this.#mayAct(),
        // Settlements free memory (their submissions are deleted once sent): a full Redis takes them.
        freesMemory: parcel.mailbox.startsWith(CONSUMER_MAILBOX),
      });
      this.#senders.set(parcel.mailbox, sender);
    }
    await sender.attempt(parcel.messages, parcel);
    // A sender with nothing left is dropped: mailboxes come and go with consumers and instruments.
    if (sender.isIdle && this.#senders.get(parcel.mailbox) === sender) this.#senders.delete(parcel.mailbox);
  }

  /**
   * Deletes the mailboxes of instruments that left or were given up on, so they leave nothing
   * behind in a durable network. Safe: whatever they held was requeued.
   */
  #deleteDeparted(term: ActingTerm): Promise<void>[] {
    return term.takeDeparted().map((id) => {
      const mailbox = mailboxes.instrument(id);
      this.#senders.get(mailbox)?.stop();
      this.#senders.delete(mailbox);
      return this.#network.deleteMailbox(mailbox).catch((error: unknown) => {
        this.#logger.warn(`composer: could not delete the mailbox of departed instrument ${id}`, { error });
      });
    });
  }

  /** Answers the status requests of the batch just handled: one reply per observer. */
  #answerStatus(term: ActingTerm): Promise<void>[] {
    const observers = term.takeStatusRequests();
    if (observers.length === 0) return [];
    const reply: StatusReplyMessage = { v: PROTOCOL_VERSION, type: 'status', epoch: term.epoch, composer: this.id, snapshot: term.snapshot() };
    // A lost answer is not worth handling the whole batch again: the observer times out and may ask again.
    return observers.map((observer) =>
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
    const wasActing = this.#term !== undefined;
    this.#endTerm();
    await this.#receiver?.close();
    await this.#closingReceiver;
    if (wasActing) await this.#network.releaseLease('composer', this.id).catch(() => undefined);
  }
}
