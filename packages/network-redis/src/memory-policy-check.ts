import type { Logger } from '@orchestra/core';
import { Cluster, type Redis } from 'ioredis';
import { RedisEvictionPolicyError } from './errors.js';

/** What one Redis said its `maxmemory-policy` is, or why it would not say. */
type Reading = { readonly node: string; readonly policy: string } | { readonly node: string; readonly unreadable: string };

function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message.trim() : String(error);
}

/** A reply Redis refused with (an unknown or renamed command, NOPERM): asking again will not help. */
function isRefusal(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'ReplyError';
}

/**
 * Reads one node's policy: `CONFIG GET`, else `INFO memory`, which managed services that forbid
 * CONFIG (ElastiCache, MemoryStore…) still answer. Connection failures reject; refusals of both
 * commands make an unreadable reading.
 */
async function readNode(node: Redis | Cluster, name: string): Promise<Reading> {
  let refusal: unknown;
  try {
    const reply = await node.call('CONFIG', 'GET', 'maxmemory-policy');
    if (Array.isArray(reply) && typeof reply[1] === 'string') return { node: name, policy: reply[1] };
  } catch (error) {
    if (!isRefusal(error)) throw error;
    refusal = error;
  }
  try {
    const info = await node.call('INFO', 'memory');
    const policy = typeof info === 'string' ? /^maxmemory_policy:(\S+)/m.exec(info)?.[1] : undefined;
    if (policy !== undefined) return { node: name, policy };
  } catch (error) {
    if (!isRefusal(error)) throw error;
    refusal ??= error;
  }
  return { node: name, unreadable: refusal === undefined ? 'neither CONFIG GET nor INFO memory named one' : messageOf(refusal) };
}

/**
 * Every master of a cluster (any of them may hold the network's slot after a resharding), or the
 * one Redis (a Sentinel connection reaches the current master only).
 */
function readAll(client: Redis | Cluster, target: string): Promise<Reading[]> {
  if (!(client instanceof Cluster)) return Promise.all([readNode(client, target)]);
  const masters = client.nodes('master');
  if (masters.length === 0) return Promise.all([readNode(client, target)]);
  return Promise.all(masters.map((node) => readNode(node, `${node.options.host ?? '127.0.0.1'}:${String(node.options.port ?? 6379)}`)));
}

/** Options of {@link MemoryPolicyCheck}. */
export interface MemoryPolicyCheckOptions {
  readonly target: string;
  readonly logger: Logger;
  /** Accept an evicting policy (with one warning) instead of refusing it. */
  readonly allowEviction: boolean;
}

/**
 * Refuses a Redis that may evict keys. With `maxmemory` reached, any `maxmemory-policy` but
 * `noeviction` lets Redis delete mailboxes, the lease and the epoch counter, and work is lost with
 * no error anywhere. So every connection is checked before commands go through it: {@link passed}
 * resolves once the current connection's Redis was found to keep its keys, and rejects with
 * {@link RedisEvictionPolicyError} otherwise. A refused Redis is read again at each later
 * {@link passed}, so fixing the policy is noticed without a restart.
 *
 * A policy that cannot be read (CONFIG and INFO both forbidden) is warned about once, and accepted:
 * refusing it would lock such a Redis out for good.
 */
export class MemoryPolicyCheck {
  readonly #client: Redis | Cluster;
  readonly #options: MemoryPolicyCheckOptions;
  /** Counts connections lost: a check stands for the connection it was made on only. */
  #connection = 0;
  /** The connection the last check passed on, if it passed. */
  #passedOn: number | undefined;
  #lastOutcome: 'passed' | 'refused' | undefined;
  #inFlight: { readonly connection: number; readonly promise: Promise<void> } | undefined;
  readonly #refusalListeners = new Set<(error: RedisEvictionPolicyError) => void>();
  #warnedUnreadable = false;
  readonly #warnedPolicies = new Set<string>();

  constructor(client: Redis | Cluster, options: MemoryPolicyCheckOptions) {
    this.#client = client;
    this.#options = options;
  }

  /** True while the current connection has passed: commands may go on without awaiting {@link passed}. */
  get isPassed(): boolean {
    return this.#passedOn === this.#connection;
  }

  /** The connection was lost: whatever comes next is checked afresh. */
  connectionLost(): void {
    this.#connection += 1;
  }

  /** Resolves once the current connection passed; checks it if need be (again, if it was refused). */
  passed(): Promise<void> {
    return this.isPassed ? Promise.resolve() : this.check();
  }

  /** Calls `listener` with the error each time a check refuses; returns what stops it. */
  onRefusal(listener: (error: RedisEvictionPolicyError) => void): () => void {
    this.#refusalListeners.add(listener);
    return () => this.#refusalListeners.delete(listener);
  }

  /** Checks the current connection, or joins the check of it under way. */
  check(): Promise<void> {
    const connection = this.#connection;
    if (this.#inFlight?.connection === connection) return this.#inFlight.promise;
    const promise = readAll(this.#client, this.#options.target).then((readings) => this.#judge(readings, connection));
    const inFlight = { connection, promise };
    this.#inFlight = inFlight;
    // Whoever triggered it may not wait for it (a 'ready' listener); its callers see the outcome.
    promise
      .catch(() => undefined)
      .finally(() => {
        if (this.#inFlight === inFlight) this.#inFlight = undefined;
      });
    return promise;
  }

  #judge(readings: readonly Reading[], connection: number): void {
    const current = connection === this.#connection;
    for (const reading of readings) {
      if (!('policy' in reading) || reading.policy === 'noeviction') continue;
      if (this.#options.allowEviction) {
        this.#warnEvicting(reading.node, reading.policy);
        continue;
      }
      const error = new RedisEvictionPolicyError(reading.node, reading.policy);
      if (current) this.#refuse(error);
      throw error;
    }
    const unreadable = readings.find((reading) => 'unreadable' in reading);
    if (unreadable !== undefined && 'unreadable' in unreadable) this.#warnUnreadable(unreadable.node, unreadable.unreadable);
    if (current) {
      this.#passedOn = connection;
      this.#lastOutcome = 'passed';
    }
  }

  #refuse(error: RedisEvictionPolicyError): void {
    this.#passedOn = undefined;
    // At the first connection, connect() and the commands say it; a Redis changed under a running
    // network may have nobody waiting on it, so the network says it itself.
    if (this.#lastOutcome === 'passed') {
      this.#options.logger.error(`${error.message} Until then this network sends and reads nothing.`, { maxmemoryPolicy: error.policy });
    }
    this.#lastOutcome = 'refused';
    for (const listener of this.#refusalListeners) listener(error);
  }

  #warnEvicting(node: string, policy: string): void {
    if (this.#warnedPolicies.has(policy)) return;
    this.#warnedPolicies.add(policy);
    this.#options.logger.warn(
      `Redis at ${node} has maxmemory-policy ${policy} and allowEviction is set: once Redis reaches maxmemory it may ` +
        'delete queued jobs, undelivered messages and the composer lease, and that work is lost silently.',
      { maxmemoryPolicy: policy },
    );
  }

  #warnUnreadable(node: string, reason: string): void {
    if (this.#warnedUnreadable || this.#options.allowEviction) return;
    this.#warnedUnreadable = true;
    this.#options.logger.warn(
      `Redis at ${node} would not say its maxmemory-policy (CONFIG GET and INFO memory were refused: ${reason}). ` +
        'If it is anything but noeviction, Redis deletes keys once it reaches maxmemory, and queued jobs, messages and the ' +
        "composer lease are lost silently. Check it in your Redis service's settings (or with redis-cli CONFIG GET " +
        'maxmemory-policy as an admin) and set it to noeviction; carrying on.',
      { maxmemoryPolicy: 'unknown' },
    );
  }
}
