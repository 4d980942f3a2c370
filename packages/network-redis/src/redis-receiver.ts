import type { MailboxHandler, MailboxReceiver } from '@orchestra/core';
import { Cluster, type Redis } from 'ioredis';
import { RedisCommandError } from './errors.js';
import { CONSUMER, GROUP } from './keys.js';
import { parseStreamReply, type StreamEntry } from './stream-reply.js';

/** How long a blocked read waits before it asks again (so a deleted group is noticed). */
const BLOCK_MS = 5_000;
/** Before an unacknowledged batch is delivered again. */
const REDELIVERY_DELAY_MS = 50;
/** Read failures back off from this to {@link MAX_BACKOFF_MS}. */
const MIN_BACKOFF_MS = 50;
const MAX_BACKOFF_MS = 2_000;

/** Options the network hands each receiver. */
export interface RedisReceiverOptions {
  readonly key: string;
  readonly mailbox: string;
  readonly maxBatch: number;
  readonly onError: (error: unknown) => void;
  /** Called once the receiver has stopped, so the network forgets it. */
  readonly detach: () => void;
  /** Ends a blocked read of the client with this id at once (CLIENT UNBLOCK, sent on another connection). */
  readonly unblock: (clientId: number) => Promise<void>;
}

/**
 * Delivers one mailbox stream to one handler through the consumer group, on a connection of its
 * own (a blocking read holds its connection). Entries stay pending in the group until the handler
 * resolves; then they are acknowledged and deleted (XACK + XDEL, pipelined in front of the next
 * read, so acknowledging costs no round trip). A receiver starts by reading what is still pending
 * (left by itself after a failed handler, or by a receiver that closed or died) before new entries.
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
  #wake: (() => void) | undefined;
  /** This connection's CLIENT ID, asked for again after every (re)connection, for CLIENT UNBLOCK at close. */
  #clientId: number | undefined;
  #askId = true;

  constructor(conn: Redis | Cluster, handler: MailboxHandler, options: RedisReceiverOptions) {
    this.#conn = conn;
    this.#handler = handler;
    this.#options = options;
    conn.on('ready', () => {
      this.#clientId = undefined;
      this.#askId = true;
    });
    this.#done = this.#run();
  }

  async #run(): Promise<void> {
    // '0' reads this consumer's pending entries; '>' reads new ones. Start with what is pending.
    let cursor: '0' | '>' = '0';
    let backoff = MIN_BACKOFF_MS;
    let failing = false;
    let needGroup = true;
    try {
      while (!this.#closed) {
        let entries: StreamEntry[];
        try {
          if (needGroup) {
            await this.#ensureGroup();
            needGroup = false;
          }
          this.#flushAcks();
          this.#askClientId();
          this.#reading = true;
          const block = cursor === '>' ? ['BLOCK', BLOCK_MS] : [];
          const reply = await this.#conn.call('XREADGROUP', 'GROUP', GROUP, CONSUMER, 'COUNT', this.#options.maxBatch, ...block, 'STREAMS', this.#options.key, cursor);
          entries = parseStreamReply(reply);
          failing = false;
          backoff = MIN_BACKOFF_MS;
        } catch (error) {
          if (this.#closed) break;
          if (isNoGroup(error)) {
            // The stream or its group is gone (deleteMailbox, or a Redis that lost its data): make it again.
            needGroup = true;
            continue;
          }
          if (!failing) this.#options.onError(new RedisCommandError(`Reading mailbox ${this.#options.mailbox} failed; retrying`, { cause: error }));
          failing = true;
          await this.#pause(backoff);
          backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
          continue;
        } finally {
          this.#reading = false;
        }
        if (entries.length === 0) {
          // Pending entries all delivered: from now on, new ones.
          cursor = '>';
          continue;
        }
        const failed = await this.#deliver(entries);
        if (failed) {
          cursor = '0';
          await this.#pause(REDELIVERY_DELAY_MS);
        }
      }
    } finally {
      await this.#finalAck();
      await this.#quit();
      this.#options.detach();
    }
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
    let ids: string[] = [];
    let messages: unknown[] = [];
    for (let i = 0; i < entries.length; i += 1) {
      const entry = entries[i] as StreamEntry;
      const decoded = entry.messages;
      if (messages.length > 0 && messages.length + decoded.length > this.#options.maxBatch) {
        if (!(await this.#handle(ids, messages))) return true;
        ids = [];
        messages = [];
      }
      ids.push(entry.id);
      for (const message of decoded) messages.push(message);
    }
    return !(await this.#handle(ids, messages));
  }

  async #handle(ids: string[], messages: unknown[]): Promise<boolean> {
    // An entry deleted while pending decodes to nothing: acknowledge it without calling the handler.
    if (messages.length > 0) {
      try {
        await this.#handler(messages);
      } catch (error) {
        this.#options.onError(error);
        return false;
      }
    }
    for (const id of ids) this.#toAck.push(id);
    return true;
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

  async #ensureGroup(): Promise<void> {
    try {
      await this.#conn.xgroup('CREATE', this.#options.key, GROUP, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  #pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
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
      this.#wake?.();
    }
    await this.#done;
  }
}

function isNoGroup(error: unknown): boolean {
  return error instanceof Error && (error.message.startsWith('NOGROUP') || error.message.includes('no longer exists'));
}
