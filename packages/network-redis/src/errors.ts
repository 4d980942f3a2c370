import { OrchestraError } from '@orchestra/core';

/**
 * Redis could not be reached, refused the credentials, or failed the TLS handshake. Raised by
 * {@link RedisNetwork.connect}; the cause is the client's own error.
 */
export class RedisConnectionError extends OrchestraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ORCHESTRA_REDIS_CONNECTION', message, options);
  }
}

/** A Redis command failed (the connection dropped and did not come back in time, or Redis refused it). */
export class RedisCommandError extends OrchestraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ORCHESTRA_REDIS_COMMAND', message, options);
  }
}

/** Options of {@link RedisEvictionPolicyError}. */
export interface RedisEvictionPolicyErrorOptions {
  /**
   * How the reader may accept the risk instead, as the last sentence says it. Default: the
   * `RedisNetwork` option; a command line passes its flag (`--allow-eviction`).
   */
  readonly optOut?: string;
}

/**
 * Redis evicts keys when it reaches `maxmemory` (its `maxmemory-policy` is not `noeviction`), so
 * it could delete queued jobs, undelivered messages and the composer lease without a word.
 * {@link RedisNetwork.connect} rejects with it, and so do sends; receivers report it through
 * `onError` until a later check finds `noeviction`. The `RedisNetwork` option `allowEviction`
 * accepts the risk instead.
 */
export class RedisEvictionPolicyError extends OrchestraError {
  /** The `maxmemory-policy` found, e.g. `allkeys-lru`. */
  readonly policy: string;
  /** The Redis it was found on: the network's target, or a cluster node's host:port. */
  readonly node: string;

  constructor(node: string, policy: string, options: RedisEvictionPolicyErrorOptions = {}) {
    super(
      'ORCHESTRA_REDIS_EVICTION_POLICY',
      `Redis at ${node} has maxmemory-policy ${policy}: once it reaches maxmemory it deletes keys, and with them ` +
        "Orchestra's queued jobs, undelivered messages and composer lease, silently. Set it to noeviction: " +
        'CONFIG SET maxmemory-policy noeviction (and CONFIG REWRITE), or "maxmemory-policy noeviction" in redis.conf ' +
        "or your managed Redis's parameter group. To run on it anyway, accepting that jobs can be lost, " +
        `use ${options.optOut ?? 'the RedisNetwork option allowEviction: true'}.`,
    );
    this.policy = policy;
    this.node = node;
  }
}

/** A reply of a Redis at `maxmemory` under `noeviction`, refusing a write that would use more. */
export function isOutOfMemory(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('OOM ');
}

/**
 * Redis is full: it reached `maxmemory` and, under `noeviction`, refuses writes that would use
 * more, such as a new job's submission. Nothing accepted is lost, and work already accepted keeps
 * moving (settlements still go through), so memory falls as running jobs settle.
 */
export class RedisOutOfMemoryError extends OrchestraError {
  /** The mailbox the refused messages were for. */
  readonly mailbox: string;

  constructor(target: string, mailbox: string, cause: unknown) {
    super(
      'ORCHESTRA_REDIS_OUT_OF_MEMORY',
      `Redis at ${target} is out of memory (used memory is over maxmemory) and refused the messages for mailbox ${mailbox}: ` +
        'nothing was sent. Raise maxmemory (CONFIG SET maxmemory …), or add jobs again once running ones have settled and freed memory.',
      { cause },
    );
    this.mailbox = mailbox;
  }
}
