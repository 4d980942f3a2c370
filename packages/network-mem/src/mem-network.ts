import {
  ClosedError,
  InvalidArgumentError,
  NETWORK_CONTRACT_VERSION,
  consoleLogger,
  type LeaseGrant,
  type MailboxHandler,
  type MailboxReceiver,
  type Network,
  type NetworkMessage,
  type ReceiveOptions,
  type SendOptions,
} from '@orchestra/core';
import { integerOption, integerOptionError } from '@orchestra/core/internal';
import { LeaseTable } from './lease-table.js';
import { Mailbox } from './mailbox.js';
import { MemReceiver } from './mem-receiver.js';
import { currentProcessNetwork, offerProcessNetwork, withdrawProcessNetwork } from './process-network.js';

const DEFAULT_MAX_BATCH = 1024;

/**
 * A network inside one process: the Composer, Instruments and Consumers of one machine talk through
 * in-memory mailboxes, with no server. Messages are handed over by reference (the roles never
 * mutate a message after sending it) and are still validated by whoever reads them, exactly as on
 * any other network. Nothing survives the process: for durability across processes use RedisNetwork.
 *
 * The first MemNetwork made while none is open is the process's in-process network (see
 * {@link MemNetwork.ofProcess}): `new Network()` of `@orchestra/orchestra` joins it. Every other
 * MemNetwork is a network of its own.
 */
export class MemNetwork implements Network {
  readonly contractVersion = NETWORK_CONTRACT_VERSION;
  readonly #boxes = new Map<string, Mailbox>();
  readonly #receivers = new Map<string, MemReceiver>();
  readonly #leases = new LeaseTable();
  /** Drops expired mailboxes; runs only while some mailbox can expire. */
  #sweep: NodeJS.Timeout | undefined;
  #closed = false;

  constructor() {
    offerProcessNetwork(this);
  }

  /**
   * The process's in-process network: the open MemNetwork made first while none was open, or a new
   * one (which then is). Code that was not handed a network (the original document's
   * `new Consumer(new Network(), workspace)`) reaches the roles of its process through it.
   */
  static ofProcess(): Network {
    // Typed as the contract: the open one may come from another copy of this package.
    return currentProcessNetwork() ?? new MemNetwork();
  }

  /** Whether {@link close} was called. */
  get closed(): boolean {
    return this.#closed;
  }

  #box(name: string): Mailbox {
    let box = this.#boxes.get(name);
    if (box === undefined) {
      box = new Mailbox();
      this.#boxes.set(name, box);
    }
    return box;
  }

  send(mailbox: string, messages: readonly NetworkMessage[], options?: SendOptions): Promise<void> {
    if (this.#closed) return Promise.reject(new ClosedError('MemNetwork'));
    const expireAfterMs = options?.expireAfterMs;
    const badExpiry = expireAfterMs === undefined ? undefined : integerOptionError(expireAfterMs, 'expireAfterMs', { min: 1 });
    if (badExpiry !== undefined) return Promise.reject(badExpiry);
    if (messages.length === 0) return Promise.resolve();
    const box = this.#box(mailbox);
    box.push(messages);
    if (expireAfterMs !== undefined) {
      box.expiresAt = Date.now() + expireAfterMs;
      this.#scheduleSweep(expireAfterMs);
    }
    this.#receivers.get(mailbox)?.wake();
    return Promise.resolve();
  }

  #scheduleSweep(inMs: number): void {
    if (this.#sweep !== undefined) return;
    this.#sweep = setTimeout(() => {
      this.#sweep = undefined;
      this.#dropExpired();
    }, inMs + 1);
    // Expiry is housekeeping: it must not keep the process alive.
    this.#sweep.unref();
  }

  #dropExpired(): void {
    const now = Date.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [name, box] of this.#boxes) {
      if (box.expiresAt === undefined) continue;
      if (box.expiresAt <= now) {
        box.expiresAt = undefined;
        if (this.#receivers.has(name)) box.take(box.size);
        else this.#boxes.delete(name);
      } else next = Math.min(next, box.expiresAt);
    }
    if (next !== Number.POSITIVE_INFINITY && !this.#closed) this.#scheduleSweep(next - now);
  }

  receive(mailbox: string, handler: MailboxHandler, options: ReceiveOptions = {}): MailboxReceiver {
    if (this.#closed) throw new ClosedError('MemNetwork');
    if (this.#receivers.has(mailbox)) throw new InvalidArgumentError(`Mailbox ${mailbox} already has a receiver`);
    const maxBatch = integerOption(options.maxBatch ?? DEFAULT_MAX_BATCH, 'maxBatch', { min: 1 });
    const box = this.#boxes.get(mailbox);
    if (box?.expiresAt !== undefined && box.expiresAt <= Date.now()) this.#boxes.delete(mailbox);
    const onError =
      options.onError ?? ((error: unknown) => consoleLogger.error(`mailbox ${mailbox}: handler failed; redelivering`, { error }));
    const receiver = new MemReceiver(this.#box(mailbox), handler, maxBatch, onError, () => {
      if (this.#receivers.get(mailbox) === receiver) this.#receivers.delete(mailbox);
    });
    this.#receivers.set(mailbox, receiver);
    receiver.wake();
    return receiver;
  }

  deleteMailbox(mailbox: string): Promise<void> {
    const box = this.#boxes.get(mailbox);
    // A live receiver keeps its Mailbox object: empty it rather than orphan it.
    if (box !== undefined && this.#receivers.has(mailbox)) box.take(box.size);
    else this.#boxes.delete(mailbox);
    return Promise.resolve();
  }

  acquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | undefined> {
    if (this.#closed) return Promise.reject(new ClosedError('MemNetwork'));
    return Promise.resolve(this.#leases.acquire(name, holder, ttlMs));
  }

  releaseLease(name: string, holder: string): Promise<void> {
    this.#leases.release(name, holder);
    return Promise.resolve();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    withdrawProcessNetwork(this);
    clearTimeout(this.#sweep);
    await Promise.all([...this.#receivers.values()].map((r) => r.close()));
  }
}
