import { newRoleId } from '@orchestra/core/internal';
import type { Cluster, Redis } from 'ioredis';

/**
 * Notices a Redis that came back without this network's data: restarted without persistence,
 * flushed, or failed over to an empty replica. Jobs and messages that were in it are gone, and
 * nothing else would say so.
 *
 * The first time the network's connection is ready, it reads (or, if absent, writes) a marker key
 * holding a random id. On every later (re)connection, and every few seconds while connected (a key
 * may be deleted or evicted without any reconnection), it reads the marker again; a marker that is
 * missing, or holds another id, means the data this network knew is not there any more. Receivers
 * report the other loss they can see, a mailbox gone while it held messages, through {@link lost}.
 */
export class DataLossWatch {
  readonly #client: Redis | Cluster;
  readonly #key: string;
  readonly #onLoss: (what: string) => void;
  #timer: NodeJS.Timeout | undefined;
  #known: string | undefined;
  /** Completed checks (one per connection that became ready). */
  checks = 0;
  /** Times the data was found missing. */
  losses = 0;

  /** `onLoss` is told what was found missing. */
  constructor(client: Redis | Cluster, key: string, onLoss: (what: string) => void) {
    this.#client = client;
    this.#key = key;
    this.#onLoss = onLoss;
  }

  /** Reads the marker; `onConnection` counts the check in {@link checks} (the periodic ones are not counted). */
  async check(onConnection = true): Promise<void> {
    // A periodic check reads first and writes only when the marker is gone: a Redis that is full
    // (noeviction) refuses SET but still answers GET, and a full Redis has lost nothing.
    if (!onConnection && this.#known !== undefined && (await this.#client.get(this.#key)) === this.#known) return;
    // SET NX then GET: whoever writes first, every network of the namespace reads the same id.
    const [, current] = await Promise.all([this.#client.set(this.#key, newRoleId('data'), 'NX'), this.#client.get(this.#key)]);
    if (current === null) return;
    if (onConnection) this.checks += 1;
    if (this.#known !== undefined && current !== this.#known) {
      this.#known = current;
      this.lost('the data marker (Redis restarted without persistence, was flushed, or lost keys)');
    }
    this.#known = current;
  }

  /** Counts and reports one loss of data, found here or by a receiver. */
  lost(what: string): void {
    this.losses += 1;
    this.#onLoss(what);
  }

  /** Checks every `intervalMs` while the connection is ready, until {@link stop}. */
  start(intervalMs: number, onError: (error: unknown) => void): void {
    this.#timer = setInterval(() => {
      if (this.#client.status === 'ready') this.check(false).catch(onError);
    }, intervalMs);
    // The watch alone must not keep a process alive.
    this.#timer.unref();
  }

  stop(): void {
    clearInterval(this.#timer);
  }
}
