import type { Cluster, Redis } from 'ioredis';
import { GROUP } from './keys.js';

/** After a failed acknowledgement, before trying again. */
const RETRY_MS = 1_000;

/**
 * Acknowledges and deletes (XACK + XDEL) the entries of one mailbox whose holds were released,
 * on the network's own connection (the receiver's may be blocked in a read). Releases made in the
 * same tick travel together; a failed attempt is tried again until the network closes, since an
 * entry left pending would be delivered again to the next receiver.
 */
export class ReleasedAcks {
  readonly #client: Redis | Cluster;
  readonly #key: string;
  readonly #closed: () => boolean;
  #ids: string[] = [];
  #scheduled = false;
  #inFlight: Promise<void> = Promise.resolve();

  constructor(client: Redis | Cluster, key: string, closed: () => boolean) {
    this.#client = client;
    this.#key = key;
    this.#closed = closed;
  }

  add(ids: readonly string[]): void {
    for (const id of ids) this.#ids.push(id);
    this.#schedule(0);
  }

  #schedule(delayMs: number): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const run = (): void => {
      this.#scheduled = false;
      this.#flush();
    };
    if (delayMs === 0) setImmediate(run);
    else setTimeout(run, delayMs).unref();
  }

  /** Sends what is waiting now, and resolves once everything sent so far was answered. */
  async drain(): Promise<void> {
    this.#flush();
    await this.#inFlight;
  }

  #flush(): void {
    if (this.#ids.length === 0) return;
    const ids = this.#ids;
    this.#ids = [];
    const sent = Promise.all([this.#client.xack(this.#key, GROUP, ...ids), this.#client.xdel(this.#key, ...ids)]).then(
      () => undefined,
      () => {
        if (this.#closed()) return;
        this.#ids.push(...ids);
        this.#schedule(RETRY_MS);
      },
    );
    this.#inFlight = Promise.all([this.#inFlight, sent]).then(() => undefined);
  }
}
