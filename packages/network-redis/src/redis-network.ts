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
import { waitUntilReady } from './connect.js';
import { RedisCommandError } from './errors.js';
import { DataLossWatch } from './data-loss-watch.js';
import { Keys } from './keys.js';
import { ACQUIRE_LEASE, RELEASE_LEASE } from './lease-scripts.js';
import { ReleasedAcks } from './released-acks.js';
import { RedisReceiver } from './redis-receiver.js';
import { describeTarget } from './target.js';

const DEFAULT_URL = 'redis://127.0.0.1:6379';
const DEFAULT_MAX_BATCH = 1024;

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
  readonly #receivers = new Map<string, RedisReceiver>();
  readonly #dataWatch: DataLossWatch;
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
    let reported = false;
    this.#client.on('error', (error: unknown) => {
      // ioredis reconnects on its own; say so once per outage, not once per attempt.
      if (reported || this.#closed) return;
      reported = true;
      this.#logger.warn(`Redis at ${this.target}: connection trouble; reconnecting`, { error });
    });
    this.#dataWatch = new DataLossWatch(this.#client, this.#keys.dataMarker(), () => {
      this.#logger.error(
        `Redis at ${this.target} came back WITHOUT the data of network ${this.namespace} (restarted without persistence, ` +
          'or flushed): jobs queued and messages not yet delivered there are lost. Run Redis with AOF (appendonly yes) to keep them.',
      );
      options.onDataLoss?.();
    });
    this.#client.on('ready', () => {
      reported = false;
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
   * Waits until Redis answers. Optional (commands wait for the connection anyway) but it turns an
   * unreachable Redis, a wrong password or an untrusted certificate into a prompt
   * `RedisConnectionError` instead of a wait.
   */
  connect(): Promise<void> {
    if (this.#closed) return Promise.reject(new ClosedError('RedisNetwork'));
    return waitUntilReady(this.#client, this.target, this.#connectTimeoutMs);
  }

  async send(mailbox: string, messages: readonly NetworkMessage[], options?: SendOptions): Promise<void> {
    if (this.#closed) throw new ClosedError('RedisNetwork');
    const expireAfterMs = options?.expireAfterMs;
    if (expireAfterMs !== undefined) integerOption(expireAfterMs, 'expireAfterMs', { min: 1 });
    if (messages.length === 0) return;
    const key = this.#keys.mailbox(mailbox);
    const text = JSON.stringify(messages);
    try {
      if (expireAfterMs === undefined) await this.#client.xadd(key, '*', 'm', text);
      else {
        // One round trip; both commands go to the mailbox's slot.
        const replies = await this.#client.multi().xadd(key, '*', 'm', text).pexpire(key, expireAfterMs).exec();
        const failed = replies?.find(([error]) => error !== null)?.[0];
        if (replies === null || failed) throw failed ?? new RedisCommandError('transaction aborted');
      }
    } catch (error) {
      throw new RedisCommandError(`Sending to mailbox ${mailbox} failed`, { cause: error });
    }
  }

  receive(mailbox: string, handler: MailboxHandler, options: ReceiveOptions = {}): MailboxReceiver {
    if (this.#closed) throw new ClosedError('RedisNetwork');
    if (this.#receivers.has(mailbox)) throw new InvalidArgumentError(`Mailbox ${mailbox} already has a receiver`);
    const maxBatch = integerOption(options.maxBatch ?? DEFAULT_MAX_BATCH, 'maxBatch', { min: 1 });
    const key = this.#keys.mailbox(mailbox);
    const onError = options.onError ?? ((error: unknown) => this.#logger.error(`mailbox ${mailbox}: delivery failed; delivering again`, { error }));
    // A blocking read holds its connection, so each receiver gets one of its own. It never gives up
    // on a command (maxRetriesPerRequest: null): it waits for Redis to come back.
    const connectionName = `orchestra:${this.namespace}:${mailbox}`;
    const conn =
      this.#client instanceof Cluster
        ? this.#client.duplicate()
        : this.#client.duplicate({ maxRetriesPerRequest: null, connectionName });
    conn.on('error', () => undefined); // reported by the receiver's onError, once per outage
    const acks = new ReleasedAcks(this.#client, key, () => this.#closed);
    const receiver = new RedisReceiver(conn, handler, {
      key,
      mailbox,
      // A name of its own: what it leaves pending is told apart from what its successor reads.
      consumer: `r:${randomBytes(9).toString('base64url')}`,
      maxBatch,
      acknowledge: (ids) => acks.add(ids),
      drainAcknowledgements: () => acks.drain(),
      onError,
      detach: () => {
        if (this.#receivers.get(mailbox) === receiver) this.#receivers.delete(mailbox);
      },
      unblock: async (clientId) => {
        await this.#client.call('CLIENT', 'UNBLOCK', clientId);
      },
    });
    this.#receivers.set(mailbox, receiver);
    return receiver;
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
    const keys = [this.#keys.lease(name), this.#keys.leaseEpoch(name)];
    // Measured from before the request: the lease can only end later than this by Redis's clock.
    const start = Date.now();
    let epoch: unknown;
    try {
      epoch = await this.#client.eval(ACQUIRE_LEASE, keys.length, ...keys, holder, ttlMs);
    } catch (error) {
      throw new RedisCommandError(`Acquiring lease ${name} failed`, { cause: error });
    }
    if (typeof epoch !== 'number' || !Number.isInteger(epoch) || epoch < 0) {
      throw new RedisCommandError(`Acquiring lease ${name}: unexpected reply ${String(epoch)}`);
    }
    return epoch === 0 ? undefined : { epoch, expiresAt: start + ttlMs };
  }

  async releaseLease(name: string, holder: string): Promise<void> {
    if (this.#closed) return;
    try {
      await this.#client.eval(RELEASE_LEASE, 1, this.#keys.lease(name), holder);
    } catch (error) {
      throw new RedisCommandError(`Releasing lease ${name} failed`, { cause: error });
    }
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.all([...this.#receivers.values()].map((receiver) => receiver.close()));
    if (this.#client.status === 'ready') {
      await this.#client.quit().catch(() => this.#client.disconnect());
    } else {
      this.#client.disconnect();
    }
  }
}
