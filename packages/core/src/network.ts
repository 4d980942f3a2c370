/**
 * The `Network` contract, version 1: everything the roles need from a transport, and nothing more.
 *
 * A network is a set of named, durable mailboxes plus a named lease. Each role reads one mailbox of
 * its own and sends to the mailboxes of others; messages are JSON-compatible objects. Roles depend
 * on this contract only, never on an adapter, so an adapter (in memory, Redis, NATS, RabbitMQ…) can
 * be written from this file and the conformance suite alone.
 */
export const NETWORK_CONTRACT_VERSION = 1;

/** A message as sent: a plain object made only of JSON values (no functions, Maps, Dates, cycles). */
export type NetworkMessage = { readonly [key: string]: unknown };

/** Acknowledges a held message: the network forgets it. Calling it again does nothing. */
export type Release = () => void;

/**
 * What a handler may do with the batch it was given, beyond acknowledging it by resolving.
 */
export interface Delivery {
  /**
   * Keeps message `index` of this batch unacknowledged when the handler resolves, until the
   * returned {@link Release} is called. Until then the network keeps the message; if the receiver
   * closes or its process dies first, the message is delivered again to the next receiver of the
   * mailbox (never again to this one). This is how a role keeps state that must outlive it in the
   * network: the composer holds each submission until every job in it has settled.
   *
   * Only valid while the handler runs; if the handler then rejects, its holds are void (the whole
   * batch comes again, and the next call may hold afresh). An adapter may hold more than asked
   * (messages sent together may be held and released together) but never less.
   */
  hold(index: number): Release;
}

/**
 * Receives a batch of messages from a mailbox, in the order they were sent. Messages are `unknown`:
 * whatever arrives from a network is validated before use.
 *
 * Resolving acknowledges the batch, except the messages held through `delivery`: the network
 * forgets the rest. Rejecting (or throwing) leaves the batch unacknowledged; the network delivers it
 * again later. A handler is never called again for the same mailbox until the previous call settled.
 */
export type MailboxHandler = (messages: readonly unknown[], delivery: Delivery) => void | Promise<void>;

/** Options for {@link Network.send}. */
export interface SendOptions {
  /**
   * Lets the network drop the mailbox, with whatever it still holds, once nothing has been sent to
   * it with this option for this many ms (each such send renews it). For mailboxes whose reader
   * may never come back (a consumer's results, an observer's answer), so they cannot grow forever.
   * A positive integer; without it, the mailbox is kept until deleted.
   */
  readonly expireAfterMs?: number;
  /**
   * These messages let memory be freed (settlements, cancellations, heartbeats): a network that
   * refuses new writes when full (Redis at `maxmemory` with `noeviction`) should still take them,
   * so that work already accepted keeps moving and memory can fall. Networks without such a limit
   * ignore it. Never for submissions: those are what a full network must refuse.
   */
  readonly freesMemory?: boolean;
}

/** Options for {@link Network.receive}. */
export interface ReceiveOptions {
  /** Most messages in one batch handed to the handler. Adapters pick a default (MemNetwork: 1024). */
  readonly maxBatch?: number;
  /**
   * The mailbox is one that senders let expire (`expireAfterMs`): when it vanishes with messages
   * still held, that is expiry, not lost data, and an adapter that reports lost data stays quiet.
   */
  readonly expiring?: boolean;
  /** Called when the adapter cannot deliver (a lost connection, a handler that threw). Defaults to a log line. */
  readonly onError?: (error: unknown) => void;
}

/** A running receiver; see {@link Network.receive}. */
export interface MailboxReceiver {
  /**
   * Stops delivery. A batch being handled finishes first; what was delivered but not acknowledged
   * stays in the mailbox for the next receiver.
   */
  close(): Promise<void>;
}

/** A lease granted by {@link Network.acquireLease}. */
export interface LeaseGrant {
  /**
   * Grows by at least one each time the lease passes to a new holder, and never shrinks, so a
   * message stamped with an older epoch is known to come from a holder that lost the lease.
   */
  readonly epoch: number;
  /** When the lease lapses unless renewed, in ms since the Unix epoch by this process's clock. */
  readonly expiresAt: number;
  /**
   * True when the lease had lapsed (or was lost) and goes back, with a new epoch, to the holder of
   * the epoch just before, nobody else having held it in between: whatever that holder knew is still
   * the newest state, so it may carry on with it (a composer whose own process stalled keeps its
   * queue). Absent otherwise. Adapters written before this field simply never set it.
   */
  readonly resumed?: true;
}

/** A transport between roles. Implemented by `MemNetwork`, `RedisNetwork`, and third-party adapters. */
export interface Network {
  /** The contract version the adapter implements; roles refuse an adapter of another version. */
  readonly contractVersion: typeof NETWORK_CONTRACT_VERSION;

  /**
   * Appends `messages` to `mailbox`, in order, and resolves once the network holds them durably
   * (MemNetwork: in this process's memory; RedisNetwork: written to Redis). A mailbox needs no
   * creation: sending to one that nobody reads yet keeps the messages until someone does.
   * Rejects with `ClosedError` after {@link close}.
   */
  send(mailbox: string, messages: readonly NetworkMessage[], options?: SendOptions): Promise<void>;

  /**
   * Starts delivering `mailbox` to `handler`, in batches. A mailbox has at most one receiver at a
   * time; a second `receive` on the same mailbox in the same network is an error. Messages that an
   * earlier receiver was given but never acknowledged (it closed, or its process died, or it held
   * them) are delivered again to the next receiver, before newer ones.
   *
   * A process that stalls (paused, or cut off) may find that another process started receiving the
   * same mailbox meanwhile. The newer receiver then takes over, within a few seconds, whatever the
   * stalled one was given and had not acknowledged; the stalled one must not act on what it reads
   * once it knows it was replaced (the composer checks its lease).
   */
  receive(mailbox: string, handler: MailboxHandler, options?: ReceiveOptions): MailboxReceiver;

  /** Deletes a mailbox and anything still in it (a departed instrument's, say). */
  deleteMailbox(mailbox: string): Promise<void>;

  /**
   * Takes or renews the lease `name` for `holder` for `ttlMs`. Resolves the grant when `holder`
   * holds it now (renewing keeps the epoch), or `undefined` when another holder's lease has not lapsed.
   */
  acquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | undefined>;

  /** Gives the lease up at once if `holder` holds it, so a standby need not wait for it to lapse. */
  releaseLease(name: string, holder: string): Promise<void>;

  /**
   * Stops every receiver and releases what the adapter holds (connections, timers) so the process
   * can exit. Messages not yet acknowledged stay in durable networks. Idempotent.
   */
  close(): Promise<void>;
}
