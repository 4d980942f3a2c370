import type { Delivery, MailboxHandler, MailboxReceiver, Release } from '@orchestra/core';
import { Cluster, type Redis } from 'ioredis';
import { RedisCommandError } from './errors.js';
import { GROUP } from './keys.js';
import { DELETE_IDLE_CONSUMER } from './pending-scripts.js';
import { compareEntryIds, consumersWithPending, parsePendingIds } from './pending-reply.js';
import { parseEntries, parseStreamReply, type StreamEntry } from './stream-reply.js';
import { WakeablePause } from './wakeable-pause.js';

/** How long a blocked read waits before it asks again (so a deleted group, or a stalled receiver's entries, are noticed). */
const BLOCK_MS = 2_000;
/** How often the receiver looks for entries another receiver of the mailbox was given and never acknowledged. */
const CLAIM_INTERVAL_MS = 2_000;
/** Before an unacknowledged batch is delivered again. */
const REDELIVERY_DELAY_MS = 50;
/** Read failures back off from this to {@link MAX_BACKOFF_MS}. */
const MIN_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 2_000;
/** Pending entries listed per XPENDING call while claiming. */
const CLAIM_PAGE = 1_000;

const released: Release = () => undefined;

/** Options the network hands each receiver. */
export interface RedisReceiverOptions {
  readonly key: string;
  readonly mailbox: string;
  /** This receiver's consumer name in the group: new for every receiver. */
  readonly consumer: string;
  readonly maxBatch: number;
  readonly onError: (error: unknown) => void;
  /** Called when the mailbox's stream vanished while this receiver held `held` of its entries (deleted, evicted, flushed). */
  readonly onLost: (held: number) => void;
  /** Called once the receiver has stopped, so the network forgets it. */
  readonly detach: () => void;
  /** Ends a blocked read of the client with this id at once (CLIENT UNBLOCK, sent on another connection). */
  readonly unblock: (clientId: number) => Promise<void>;
  /** Acknowledges and deletes entries whose holds were released (on the network's own connection). */
  readonly acknowledge: (ids: readonly string[]) => void;
  /** Resolves once the acknowledgements of released holds have been sent and answered. */
  readonly drainAcknowledgements: () => Promise<void>;
}

/** The holds one handler call made, per entry id, until the call settles. */
class CallHolds {
  readonly counts = new Map<string, number>();
  state: 'open' | 'kept' | 'void' = 'open';
}

/**
 * Delivers one mailbox stream to one handler through the consumer group, on a connection of its
 * own (a blocking read holds its connection). Each receiver reads under a consumer name of its own.
 * Entries stay pending until the handler resolves; then those it did not hold are acknowledged and
 * deleted (XACK + XDEL, pipelined in front of the next read, so acknowledging costs no round trip),
 * and the held ones when their last hold is released.
 *
 * A receiver starts by claiming (XCLAIM) every entry other consumers of the group still hold: left
 * by a receiver that closed, died, or stalled. It looks again every couple of seconds, so entries a
 * stalled receiver's blocked read took after this one started are taken over too.
 */
export class RedisReceiver implements MailboxReceiver {
  readonly #conn: Redis | Cluster;
  readonly #handler: MailboxHandler;
  readonly #options: RedisReceiverOptions;
  readonly #done: Promise<void>;
  #closed = false;
  #reading = false;
  /** Ids handled but not yet acknowledged; sent ahead of the next read. */
  #toAck: string[] = [];
  /** Entries kept pending by holds, with how many of their messages are still held. */
  readonly #held = new Map<string, number>();
  readonly #pauses = new WakeablePause();
  /** This connection's CLIENT ID, asked for again after every (re)connection, for CLIENT UNBLOCK at close. */
  #clientId: number | undefined;
  #askId = true;
  #lastClaim = 0;
  #connections = 0;
  /**
   * Set when the connection came back: a read whose reply was lost with the old connection left
   * its entries pending under this receiver's own name, so they are read again from there.
   */
  #reconnected = false;

  constructor(conn: Redis | Cluster, handler: MailboxHandler, options: RedisReceiverOptions) {
    this.#conn = conn;
    this.#handler = handler;
    this.#options = options;
    conn.on('ready', () => {
      this.#clientId = undefined;
      this.#askId = true;
      this.#connections += 1;
      if (this.#connections > 1) this.#reconnected = true;
    });
    this.#done = this.#run();
  }

  async #run(): Promise<void> {
    let backoff = MIN_BACKOFF_MS;
    let failing = false;
    let needGroup = true;
    /** Set after a handler failed: the next reads go through this receiver's own pending entries first. */
    let redeliver = false;
    /** Set at start and after a lost group: every other consumer's entries are claimed. */
    let claimAll = true;
    try {
      while (!this.#closed) {
        try {
          if (needGroup) {
            await this.#ensureGroup();
            needGroup = false;
          }
          let failed: boolean;
          if (redeliver || this.#reconnected) {
            this.#reconnected = false;
            failed = await this.#redeliverOwn();
            redeliver = false;
          } else if (claimAll || Date.now() - this.#lastClaim >= CLAIM_INTERVAL_MS) {
            failed = await this.#claimForeign(claimAll);
            claimAll = false;
          } else {
            failed = await this.#readNew();
          }
          failing = false;
          backoff = MIN_BACKOFF_MS;
          if (failed) {
            redeliver = true;
            await this.#pause(REDELIVERY_DELAY_MS);
          }
        } catch (error) {
          if (this.#closed) break;
          if (isNoGroup(error)) {
            // The stream or its group is gone (deleteMailbox, expiry, or a Redis that lost its data): make it again.
            needGroup = true;
            claimAll = true;
            // What was held is gone with the stream; nothing is left to acknowledge. A stream that
            // merely expired or was deleted with nothing held lost nothing anyone had read.
            if (this.#held.size > 0) this.#options.onLost(this.#held.size);
            this.#held.clear();
            continue;
          }
          if (!failing) this.#options.onError(new RedisCommandError(`Reading mailbox ${this.#options.mailbox} failed; retrying`, { cause: error }));
          failing = true;
          await this.#pause(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
        }
      }
    } finally {
      await this.#finalAck();
      await this.#options.drainAcknowledgements();
      await this.#forgetSelf();
      await this.#quit();
      this.#options.detach();
    }
  }

  /** Reads new entries (blocking); true if a handler call failed. */
  async #readNew(): Promise<boolean> {
    this.#flushAcks();
    this.#askClientId();
    let reply: unknown;
    this.#reading = true;
    try {
      reply = await this.#conn.call(
        'XREADGROUP', 'GROUP', GROUP, this.#options.consumer, 'COUNT', this.#options.maxBatch,
        'BLOCK', BLOCK_MS, 'STREAMS', this.#options.key, '>',
      );
    } finally {
      this.#reading = false;
    }
    const entries = parseStreamReply(reply);
    return entries.length > 0 && (await this.#deliver(entries));
  }

  /** Delivers again this receiver's own pending entries, oldest first, except those it holds. */
  async #redeliverOwn(): Promise<boolean> {
    let cursor = '0';
    for (;;) {
      this.#flushAcks();
      const reply = await this.#conn.call(
        'XREADGROUP', 'GROUP', GROUP, this.#options.consumer, 'COUNT', this.#options.maxBatch, 'STREAMS', this.#options.key, cursor,
      );
      const entries = parseStreamReply(reply);
      if (entries.length === 0) return false;
      cursor = (entries[entries.length - 1] as StreamEntry).id;
      const fresh = entries.filter((entry) => !this.#held.has(entry.id));
      if (fresh.length > 0 && (await this.#deliver(fresh))) return true;
    }
  }

  /**
   * Takes over the entries other consumers of the group hold and delivers them, oldest first.
   * `all` lists every consumer (XINFO CONSUMERS), so idle ones left by dead receivers are forgotten
   * too; otherwise the cheap XPENDING summary says whether anyone else holds anything.
   */
  async #claimForeign(all: boolean): Promise<boolean> {
    this.#lastClaim = Date.now();
    this.#flushAcks();
    const reply = all
      ? await this.#conn.call('XINFO', 'CONSUMERS', this.#options.key, GROUP)
      : await this.#conn.call('XPENDING', this.#options.key, GROUP);
    const others = consumersWithPending(reply, all).filter((c) => c.name !== this.#options.consumer);
    if (others.length === 0) return false;
    const claimed: StreamEntry[] = [];
    for (const other of others) {
      for (let page = 0; other.pending > 0; page += 1) {
        const ids = parsePendingIds(await this.#conn.call('XPENDING', this.#options.key, GROUP, '-', '+', CLAIM_PAGE, other.name));
        if (ids.length === 0) break;
        const entries = parseEntries(await this.#conn.call('XCLAIM', this.#options.key, GROUP, this.#options.consumer, 0, ...ids));
        for (const entry of entries) claimed.push(entry);
        if (ids.length < CLAIM_PAGE) break;
      }
      await this.#conn.eval(DELETE_IDLE_CONSUMER, 1, this.#options.key, GROUP, other.name).catch(() => undefined);
    }
    if (claimed.length === 0) return false;
    claimed.sort((a, b) => compareEntryIds(a.id, b.id));
    return this.#deliver(claimed);
  }

  /** Pipelined ahead of the read, so it costs no round trip. */
  #askClientId(): void {
    // On a cluster, CLIENT ID would go to any node, not necessarily the one this read blocks on.
    if (!this.#askId || this.#conn instanceof Cluster) return;
    this.#askId = false;
    this.#conn.client('ID').then(
      (id) => {
        this.#clientId = id;
      },
      () => {
        this.#askId = true;
      },
    );
  }

  async #quit(): Promise<void> {
    // QUIT lets Redis close the socket at once; disconnect() would wait for the socket to close on its own.
    if (this.#conn.status === 'ready') await this.#conn.quit().catch(() => this.#conn.disconnect());
    else this.#conn.disconnect();
  }

  /** Hands the entries to the handler in batches of at most maxBatch messages; true if a batch failed. */
  async #deliver(entries: readonly StreamEntry[]): Promise<boolean> {
    let batch: StreamEntry[] = [];
    let size = 0;
    for (const entry of entries) {
      if (size > 0 && size + entry.messages.length > this.#options.maxBatch) {
        if (!(await this.#handle(batch))) return true;
        batch = [];
        size = 0;
      }
      batch.push(entry);
      size += entry.messages.length;
    }
    return !(await this.#handle(batch));
  }

  async #handle(entries: readonly StreamEntry[]): Promise<boolean> {
    const messages: unknown[] = [];
    /** The entry id of each message, by index. */
    const owners: string[] = [];
    for (const entry of entries) {
      for (const message of entry.messages) {
        messages.push(message);
        owners.push(entry.id);
      }
    }
    const holds = new CallHolds();
    // An entry deleted while pending decodes to nothing: acknowledge it without calling the handler.
    if (messages.length > 0) {
      try {
        await this.#handler(messages, this.#delivery(owners, holds));
      } catch (error) {
        holds.state = 'void';
        this.#options.onError(error);
        return false;
      }
    }
    holds.state = 'kept';
    for (const entry of entries) {
      const count = holds.counts.get(entry.id) ?? 0;
      if (count > 0) this.#held.set(entry.id, count);
      else this.#toAck.push(entry.id);
    }
    return true;
  }

  #delivery(owners: readonly string[], holds: CallHolds): Delivery {
    return {
      hold: (index) => {
        const id = owners[index];
        if (holds.state !== 'open' || id === undefined) return released;
        holds.counts.set(id, (holds.counts.get(id) ?? 0) + 1);
        let done = false;
        return () => {
          if (done) return;
          done = true;
          this.#release(id, holds);
        };
      },
    };
  }

  #release(id: string, holds: CallHolds): void {
    if (holds.state === 'void') return;
    if (holds.state === 'open') {
      holds.counts.set(id, (holds.counts.get(id) ?? 1) - 1);
      return;
    }
    const left = (this.#held.get(id) ?? 0) - 1;
    if (left > 0) {
      this.#held.set(id, left);
      return;
    }
    // Gone already when the stream was lost; then there is nothing to acknowledge.
    if (!this.#held.delete(id)) return;
    this.#options.acknowledge([id]);
  }

  #flushAcks(): void {
    if (this.#toAck.length === 0) return;
    const ids = this.#toAck;
    this.#toAck = [];
    // Not awaited: these go out on the same connection just ahead of the next read. If they are
    // lost with the connection, the entries stay pending and are delivered again (at-least-once).
    this.#conn.xack(this.#options.key, GROUP, ...ids).catch(() => undefined);
    this.#conn.xdel(this.#options.key, ...ids).catch(() => undefined);
  }

  async #finalAck(): Promise<void> {
    if (this.#toAck.length === 0 || this.#conn.status !== 'ready') return;
    const ids = this.#toAck;
    this.#toAck = [];
    await Promise.all([this.#conn.xack(this.#options.key, GROUP, ...ids), this.#conn.xdel(this.#options.key, ...ids)]).catch(
      () => undefined,
    );
  }

  /** Leaves the group's consumer list if this receiver holds nothing, so closed receivers leave no trace. */
  async #forgetSelf(): Promise<void> {
    if (this.#conn.status !== 'ready') return;
    await this.#conn.eval(DELETE_IDLE_CONSUMER, 1, this.#options.key, GROUP, this.#options.consumer).catch(() => undefined);
  }

  async #ensureGroup(): Promise<void> {
    try {
      await this.#conn.xgroup('CREATE', this.#options.key, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  #pause(ms: number): Promise<void> {
    return this.#pauses.wait(ms);
  }


  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      // A blocked read would hold on for up to BLOCK_MS: unblock it (or, failing that, cut its
      // connection). A running handler finishes, and its batch is acknowledged, before the loop ends.
      if (this.#reading) {
        const id = this.#clientId;
        if (id === undefined) this.#conn.disconnect();
        else await this.#options.unblock(id).catch(() => this.#conn.disconnect());
      }
      this.#pauses.wake();
    }
    await this.#done;
  }
}

function isNoGroup(error: unknown): boolean {
  return error instanceof Error && (error.message.startsWith('NOGROUP') || error.message.includes('no longer exists'));
}
