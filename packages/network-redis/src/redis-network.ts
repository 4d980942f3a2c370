import {
  ClosedError,
  InvalidArgumentError,
  NETWORK_CONTRACT_VERSION,
  consoleLogger,
  type LeaseGrant,
  type Logger,
  type MailboxHandler,
  type MailboxReceiver,
  type Network,
  type NetworkMessage,
  type ReceiveOptions,
  type SendOptions,
} from '@orchestra/core';
import { randomBytes } from 'node:crypto';
import { integerOption } from '@orchestra/core/internal';
import { Cluster, Redis } from 'ioredis';
import { isClusterConnection, type RedisConnection } from './connection-options.js';
import { checkWithin, waitUntilReady } from './connect.js';
import { RedisCommandError, RedisEvictionPolicyError, RedisOutOfMemoryError, isOutOfMemory } from './errors.js';
import { DataLossWatch } from './data-loss-watch.js';
import { GatedReceiver } from './gated-receiver.js';
import { Keys } from './keys.js';
import { MemoryPolicyCheck } from './memory-policy-check.js';
import { OverMemorySend } from './over-memory-send.js';
import { RedisLease } from './redis-lease.js';
import { ReleasedAcks } from './released-acks.js';
import { RedisReceiver } from './redis-receiver.js';
import { describeTarget } from './target.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const DEFAULT_MAX_BATCH = 1024;
/** How often the data marker is read while connected: a deleted or evicted key causes no reconnection. */
const DATA_CHECK_INTERVAL_MS = 2_000;

/** Options of {@link RedisNetwork} beyond the connection itself. */
export interface RedisNetworkOptions {
  /**
   * Keeps several networks apart on one Redis: every key is `orchestra:{<namespace>}:…`. 1-64
   * characters of `A-Z a-z 0-9 _ . : -`. Default `default`.
   */
  readonly namespace?: string;
  /** How long {@link RedisNetwork.connect} waits for Redis. Default 10 000 ms. */
  readonly connectTimeoutMs?: number;
  /** Where connection trouble is reported. Default: the console. */
  readonly logger?: Logger;
  /**
   * Called when Redis comes back without this network's data (restarted without persistence, or
   * flushed): what it held (queued jobs, undelivered messages) is lost. It is also logged as an error.
   */
  readonly onDataLoss?: () => void;
  /**
   * DANGEROUS: jobs can be lost. Accepts a Redis whose `maxmemory-policy` is not `noeviction`
   * (`allkeys-lru`, `volatile-lru`, …), which deletes keys once it reaches `maxmemory`: queued jobs,
   * undelivered messages, the composer lease. Without it such a Redis is refused with
   * `RedisEvictionPolicyError`; with it, the network warns once and carries on. Default false.
   */
  readonly allowEviction?: boolean;
}

/** Counters of a {@link RedisNetwork}. */
export interface RedisNetworkStats {
  /** Connections that became ready and had their data checked. */
  readonly dataChecks: number;
  /** Times Redis was found to have come back without this network's data. */
  readonly dataLosses: number;
}

/**
 * A network through Redis, for roles on many processes and machines. Each mailbox is a Redis
 * stream read through a consumer group: a sent batch of messages is one stream entry (XADD), and
 * an entry stays pending until the receiver's handler resolves, so what a receiver held when its
 * process died is delivered again to the next receiver. The composer lease is a key with a time to
 * live beside an epoch counter, both changed only by atomic Lua scripts.
 *
 * ```ts
 * const network = new RedisNetwork('redis://user:password@redis.internal:6379', { namespace: 'prod' });
 * await network.connect(); // optional: fail fast with RedisConnectionError when Redis is unreachable
 * ```
 */
export class RedisNetwork implements Network {
  readonly contractVersion = NETWORK_CONTRACT_VERSION;
  /** The namespace this network's keys live in. */
  readonly namespace: string;
  readonly #keys: Keys;
  /** Where this network connects, fit to print: the URL with its password replaced by `***`, or host:port. */
  readonly target: string;
  readonly #client: Redis | Cluster;
  readonly #connectTimeoutMs: number;
  readonly #logger: Logger;
  readonly #receivers = new Map<string, MailboxReceiver>();
  readonly #dataWatch: DataLossWatch;
  readonly #policy: MemoryPolicyCheck;
  readonly #lease: RedisLease;
  readonly #overMemory: OverMemorySend;
  #closed = false;

  /**
   * @param urlOrOptions A Redis URL (`redis://`, `rediss://` for TLS; user and password for ACLs),
   *   ioredis options (TLS, sentinels, …), or `{ cluster: nodes, options? }` for a Redis Cluster.
   *   Default `redis://127.0.0.1:6379`.
   */
  constructor(urlOrOptions: RedisConnection = DEFAULT_URL, options: RedisNetworkOptions = {}) {
    this.#keys = new Keys(options.namespace ?? 'default');
    this.namespace = this.#keys.namespace;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 10_000;
    if (!Number.isFinite(this.#connectTimeoutMs) || this.#connectTimeoutMs <= 0) {
      throw new InvalidArgumentError('connectTimeoutMs must be a positive number');
    }
    this.#logger = options.logger ?? consoleLogger;
    this.target = describeTarget(urlOrOptions);
    // RESP2: the replies the network parses have one well-known shape there.
    const ours = { connectionName: `orchestra:${this.namespace}`, replyMapping: 'legacy', protocol: 2 } as const;
    // ioredis waits this long for a socket it disconnects to close; on a client that is between
    // reconnection attempts the socket is already gone and the wait only delays the process's exit.
    const defaults = { disconnectTimeout: 250 } as const;
    if (typeof urlOrOptions === 'string') {
      if (!/^rediss?:\/\//.test(urlOrOptions)) throw new InvalidArgumentError(`Redis URL must start with redis:// or rediss:// (got ${this.target})`);
      this.#client = new Redis(urlOrOptions, { ...defaults, ...ours });
    } else if (isClusterConnection(urlOrOptions)) {
      const { options: clusterOptions = {} } = urlOrOptions;
      this.#client = new Cluster([...urlOrOptions.cluster], { ...clusterOptions, redisOptions: { ...defaults, ...clusterOptions.redisOptions, ...ours } });
    } else {
      this.#client = new Redis({ ...defaults, ...urlOrOptions, ...ours });
    }
    this.#lease = new RedisLease(this.#client, this.#keys);
    this.#overMemory = new OverMemorySend(this.#client);
    let reported = false;
    this.#client.on('error', (error: unknown) => {
      // ioredis reconnects on its own; say so once per outage, not once per attempt.
      if (reported || this.#closed) return;
      reported = true;
      this.#logger.warn(`Redis at ${this.target}: connection trouble; reconnecting`, { error });
    });
    this.#dataWatch = new DataLossWatch(this.#client, this.#keys.dataMarker(), (what) => {
      this.#logger.error(
        `Redis at ${this.target} LOST data of network ${this.namespace}: ${what}. Jobs queued and messages not yet delivered ` +
          'there may be lost. Run Redis with AOF (appendonly yes) and maxmemory-policy noeviction to keep them.',
      );
      options.onDataLoss?.();
    });
    this.#dataWatch.start(DATA_CHECK_INTERVAL_MS, (error: unknown) => {
      if (!this.#closed) this.#logger.warn(`Redis at ${this.target}: could not check the network's data marker`, { error });
    });
    this.#policy = new MemoryPolicyCheck(this.#client, { target: this.target, logger: this.#logger, allowEviction: options.allowEviction === true });
    // Every connection is checked afresh: someone may have changed the policy, or a failover
    // reached another Redis. Its outcome goes to whoever waits on it (connect, send, receivers).
    this.#client.on('close', () => this.#policy.connectionLost());
    this.#client.on('ready', () => {
      reported = false;
      this.#policy.check().catch(() => undefined);
      this.#dataWatch.check().catch((error: unknown) => {
        if (!this.#closed) this.#logger.warn(`Redis at ${this.target}: could not check the network's data marker`, { error });
      });
    });
  }

  /** Counters: data checks made on (re)connection, and data losses found. */
  stats(): RedisNetworkStats {
    return { dataChecks: this.#dataWatch.checks, dataLosses: this.#dataWatch.losses };
  }

  /**
   * Waits until Redis answers and its memory policy was checked. Optional (commands wait for both
   * anyway) but it turns an unreachable Redis, a wrong password or an untrusted certificate into a
   * prompt `RedisConnectionError` instead of a wait, and a Redis that evicts keys into
   * `RedisEvictionPolicyError` (unless `allowEviction` is set) before any role starts.
   */
  async connect(): Promise<void> {
    if (this.#closed) throw new ClosedError('RedisNetwork');
    const deadline = Date.now() + this.#connectTimeoutMs;
    await waitUntilReady(this.#client, this.target, this.#connectTimeoutMs);
    await checkWithin(this.#policy.passed(), this.target, deadline - Date.now());
  }

  async send(mailbox: string, messages: readonly NetworkMessage[], options?: SendOptions): Promise<void> {
    if (this.#closed) throw new ClosedError('RedisNetwork');
    const expireAfterMs = options?.expireAfterMs;
    if (expireAfterMs !== undefined) integerOption(expireAfterMs, 'expireAfterMs', { min: 1 });
    if (messages.length === 0) return;
    const key = this.#keys.mailbox(mailbox);
    const text = JSON.stringify(messages);
    try {
      // Nothing is written to a Redis that may evict it.
      if (!this.#policy.isPassed) await this.#policy.passed();
      if (options?.freesMemory === true && (await this.#overMemory.send(key, text, expireAfterMs))) return;
      if (expireAfterMs === undefined) await this.#client.xadd(key, '*', 'm', text);
      else {
        // One round trip; both commands go to the mailbox's slot.
        const replies = await this.#client.multi().xadd(key, '*', 'm', text).pexpire(key, expireAfterMs).exec();
        const failed = replies?.find(([error]) => error !== null)?.[0];
        if (replies === null || failed) throw failed ?? new RedisCommandError('transaction aborted');
      }
    } catch (error) {
      if (error instanceof RedisEvictionPolicyError) throw error;
      if (isOutOfMemory(error)) throw new RedisOutOfMemoryError(this.target, mailbox, error);
      throw new RedisCommandError(`Sending to mailbox ${mailbox} failed`, { cause: error });
    }
  }

  receive(mailbox: string, handler: MailboxHandler, options: ReceiveOptions = {}): MailboxReceiver {
    if (this.#closed) throw new ClosedError('RedisNetwork');
    if (this.#receivers.has(mailbox)) throw new InvalidArgumentError(`Mailbox ${mailbox} already has a receiver`);
    const maxBatch = integerOption(options.maxBatch ?? DEFAULT_MAX_BATCH, 'maxBatch', { min: 1 });
    const key = this.#keys.mailbox(mailbox);
    const onError =
      options.onError ??
      ((error: unknown) => {
        if (error instanceof RedisEvictionPolicyError) this.#logger.error(`mailbox ${mailbox}: not reading. ${error.message}`, { maxmemoryPolicy: error.policy });
        else this.#logger.error(`mailbox ${mailbox}: delivery failed; delivering again`, { error });
      });
    const acks = new ReleasedAcks(this.#client, key, () => this.#closed);
    // Reads only while the memory policy check passes; restarted (with a new connection and
    // consumer name, so it claims what it left pending) when a refused policy is fixed.
    const receiver = new GatedReceiver({
      mailbox,
      check: this.#policy,
      start: () => this.#startReceiver(mailbox, key, handler, { maxBatch, onError, expiring: options.expiring === true }, acks),
      onError,
      detach: () => {
        if (this.#receivers.get(mailbox) === receiver) this.#receivers.delete(mailbox);
      },
    });
    this.#receivers.set(mailbox, receiver);
    return receiver;
  }

  #startReceiver(
    mailbox: string,
    key: string,
    handler: MailboxHandler,
    { maxBatch, onError, expiring }: { maxBatch: number; onError: (error: unknown) => void; expiring: boolean },
    acks: ReleasedAcks,
  ): RedisReceiver {
    // A blocking read holds its connection, so each receiver gets one of its own. It never gives up
    // on a command (maxRetriesPerRequest: null): it waits for Redis to come back.
    const connectionName = `orchestra:${this.namespace}:${mailbox}`;
    const conn =
      this.#client instanceof Cluster
        ? this.#client.duplicate()
        : this.#client.duplicate({ maxRetriesPerRequest: null, connectionName });
    conn.on('error', () => undefined); // reported by the receiver's onError, once per outage
    return new RedisReceiver(conn, handler, {
      key,
      mailbox,
      // A name of its own: what it leaves pending is told apart from what its successor reads.
      consumer: `r:${randomBytes(9).toString('base64url')}`,
      maxBatch,
      acknowledge: (ids) => acks.add(ids),
      drainAcknowledgements: () => acks.drain(),
      onError,
      // A mailbox that expires may vanish with held messages: that is its expiry, not lost data.
      onLost: (held) => {
        if (!expiring) this.#dataWatch.lost(`mailbox ${mailbox}, with ${String(held)} held batches, is gone`);
      },
      // The gated receiver around it is what the network keeps and forgets.
      detach: () => undefined,
      unblock: async (clientId) => {
        await this.#client.call('CLIENT', 'UNBLOCK', clientId);
      },
    });
  }

  async deleteMailbox(mailbox: string): Promise<void> {
    if (this.#closed) throw new ClosedError('RedisNetwork');
    try {
      await this.#client.del(this.#keys.mailbox(mailbox));
    } catch (error) {
      throw new RedisCommandError(`Deleting mailbox ${mailbox} failed`, { cause: error });
    }
  }

  async acquireLease(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | undefined> {
    if (this.#closed) throw new ClosedError('RedisNetwork');
    integerOption(ttlMs, 'ttlMs', { min: 1 });
    // No lease on a Redis that may evict it (see MemoryPolicyCheck).
    if (!this.#policy.isPassed) await this.#policy.passed();
    return this.#lease.acquire(name, holder, ttlMs);
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.#closed) return;
    await this.#lease.release(name, holder);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#dataWatch.stop();
    await Promise.all([...this.#receivers.values()].map((receiver) => receiver.close()));
    if (this.#client.status === 'ready') {
      await this.#client.quit().catch(() => this.#client.disconnect());
    } else {
      this.#client.disconnect();
    }
  }
}
