import { newRoleId } from '@orchestra/core/internal';
import type { Cluster, Redis } from 'ioredis';

/**
 * Notices a Redis that came back without this network's data: restarted without persistence,
 * flushed, or failed over to an empty replica. Jobs and messages that were in it are gone, and
 * nothing else would say so.
 *
 * The first time the network's connection is ready, it reads (or, if absent, writes) a marker key
 * holding a random id. On every later (re)connection it reads the marker again; a marker that is
 * missing, or holds another id, means the data this network knew is not there any more.
 */
export class DataLossWatch {
  readonly #client: Redis | Cluster;
  readonly #key: string;
  readonly #onLoss: () => void;
  #known: string | undefined;
  /** Completed checks (one per connection that became ready). */
  checks = 0;
  /** Times the data was found missing. */
  losses = 0;

  constructor(client: Redis | Cluster, key: string, onLoss: () => void) {
    this.#client = client;
    this.#key = key;
    this.#onLoss = onLoss;
  }

  async check(): Promise<void> {
    // SET NX then GET: whoever writes first, every network of the namespace reads the same id.
    const [, current] = await Promise.all([this.#client.set(this.#key, newRoleId('data'), 'NX'), this.#client.get(this.#key)]);
    if (current === null) return;
    this.checks += 1;
    if (this.#known !== undefined && current !== this.#known) {
      this.losses += 1;
      this.#onLoss();
    }
    this.#known = current;
  }
}
