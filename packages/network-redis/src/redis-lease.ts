import type { LeaseGrant } from '@orchestra/core';
import type { Cluster, Redis } from 'ioredis';
import { RedisCommandError } from './errors.js';
import type { Keys } from './keys.js';
import { ACQUIRE_LEASE, RELEASE_LEASE, UNTIL_MARGIN_MS } from './lease-scripts.js';

/** What this process knows of one lease. */
interface Known {
  /** The epoch last granted to each holder of this process. */
  readonly granted: Map<string, number>;
  /** Since when the lease key and its end were both seen missing (Redis lost both). */
  missingSince: number | undefined;
}

/**
 * The lease half of {@link RedisNetwork}: a key with a time to live, an epoch counter and the time
 * the last grant runs out, changed only by one atomic Lua script (see `ACQUIRE_LEASE`).
 *
 * A lease key can go missing because its holder stopped renewing (it lapsed) or because Redis lost
 * it (deleted, evicted) while its holder still acts. The script tells the two apart by the recorded
 * end; only when that was lost as well does this process decide, by having seen the key missing for
 * a whole ttl (a live holder renews within a third of it and writes the key again).
 */
export class RedisLease {
  readonly #client: Redis | Cluster;
  readonly #keys: Keys;
  readonly #known = new Map<string, Known>();

  constructor(client: Redis | Cluster, keys: Keys) {
    this.#client = client;
    this.#keys = keys;
  }

  async acquire(name: string, holder: string, ttlMs: number): Promise<LeaseGrant | undefined> {
    const known = this.#knownOf(name);
    // Measured from before the request: the lease can only end later than this by Redis's clock.
    const start = Date.now();
    const missingLongEnough = known.missingSince !== undefined && start - known.missingSince >= ttlMs;
    const keys = [this.#keys.lease(name), this.#keys.leaseEpoch(name), this.#keys.leaseUntil(name)];
    let reply: unknown;
    try {
      reply = await this.#client.eval(ACQUIRE_LEASE, keys.length, ...keys, holder, ttlMs, known.granted.get(holder) ?? 0, missingLongEnough ? '1' : '0', UNTIL_MARGIN_MS);
    } catch (error) {
      throw new RedisCommandError(`Acquiring lease ${name} failed`, { cause: error });
    }
    const [epoch, resumed, wait] = parseReply(name, reply);
    if (epoch === 0) {
      known.granted.delete(holder);
      if (wait === -2) known.missingSince ??= start;
      else known.missingSince = undefined;
      return undefined;
    }
    known.granted.set(holder, epoch);
    known.missingSince = undefined;
    return resumed ? { epoch, expiresAt: start + ttlMs, resumed: true } : { epoch, expiresAt: start + ttlMs };
  }

  async release(name: string, holder: string): Promise<void> {
    try {
      await this.#client.eval(RELEASE_LEASE, 2, this.#keys.lease(name), this.#keys.leaseUntil(name), holder, UNTIL_MARGIN_MS);
    } catch (error) {
      throw new RedisCommandError(`Releasing lease ${name} failed`, { cause: error });
    }
  }

  #knownOf(name: string): Known {
    let known = this.#known.get(name);
    if (known === undefined) {
      known = { granted: new Map(), missingSince: undefined };
      this.#known.set(name, known);
    }
    return known;
  }
}

function parseReply(name: string, reply: unknown): [epoch: number, resumed: boolean, wait: number] {
  if (Array.isArray(reply) && reply.length === 3 && reply.every((part) => typeof part === 'number' && Number.isSafeInteger(part))) {
    const [epoch, resumed, wait] = reply as [number, number, number];
    if (epoch >= 0) return [epoch, resumed === 1, wait];
  }
  throw new RedisCommandError(`Acquiring lease ${name}: unexpected reply ${JSON.stringify(reply)}`);
}
