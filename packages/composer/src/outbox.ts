import type { Logger, Network, NetworkMessage } from '@orchestra/core';

/** After a failed send, before the outbox tries again. */
const RETRY_MS = 500;

interface Parcel {
  messages: NetworkMessage[];
  expireAfterMs: number | undefined;
  /** Called once the parcel's messages are in the network. */
  onSent: (() => void)[];
}

/** Options of {@link Outbox.add}. */
export interface ParcelOptions {
  readonly expireAfterMs?: number | undefined;
  readonly onSent?: readonly (() => void)[];
}

/**
 * What the composer has to send, by mailbox. A send that fails (Redis restarting, a cut
 * connection) is kept and tried again until it succeeds or the composer stops acting: a
 * settlement, once decided, is never dropped on the floor.
 */
export class Outbox {
  readonly #network: Network;
  readonly #logger: Logger;
  readonly #enabled: () => boolean;
  #parcels = new Map<string, Parcel>();
  #retry: NodeJS.Timeout | undefined;
  #failing = false;

  constructor(network: Network, logger: Logger, enabled: () => boolean) {
    this.#network = network;
    this.#logger = logger;
    this.#enabled = enabled;
  }

  add(mailbox: string, messages: readonly NetworkMessage[], options: ParcelOptions = {}): void {
    let parcel = this.#parcels.get(mailbox);
    if (parcel === undefined) {
      parcel = { messages: [], expireAfterMs: undefined, onSent: [] };
      this.#parcels.set(mailbox, parcel);
    }
    for (const message of messages) parcel.messages.push(message);
    if (options.expireAfterMs !== undefined) parcel.expireAfterMs = options.expireAfterMs;
    if (options.onSent !== undefined) for (const callback of options.onSent) parcel.onSent.push(callback);
  }

  /** Sends everything waiting; resolves when each send succeeded or was put back for a retry. */
  flush(): Promise<void>[] {
    if (this.#parcels.size === 0) return [];
    const parcels = this.#parcels;
    this.#parcels = new Map();
    return [...parcels].map(([mailbox, parcel]) => this.#send(mailbox, parcel));
  }

  async #send(mailbox: string, parcel: Parcel): Promise<void> {
    try {
      await this.#network.send(mailbox, parcel.messages, parcel.expireAfterMs === undefined ? undefined : { expireAfterMs: parcel.expireAfterMs });
    } catch (error) {
      if (!this.#enabled()) return;
      if (!this.#failing) this.#logger.warn(`composer: could not send to ${mailbox}; trying again`, { error });
      this.#failing = true;
      this.#putBack(mailbox, parcel);
      this.#scheduleRetry();
      return;
    }
    this.#failing = false;
    for (const callback of parcel.onSent) callback();
  }

  /** Older messages go first, before what was added since. */
  #putBack(mailbox: string, parcel: Parcel): void {
    const newer = this.#parcels.get(mailbox);
    if (newer !== undefined) {
      parcel.messages.push(...newer.messages);
      parcel.onSent.push(...newer.onSent);
      parcel.expireAfterMs = newer.expireAfterMs ?? parcel.expireAfterMs;
    }
    this.#parcels.set(mailbox, parcel);
  }

  #scheduleRetry(): void {
    if (this.#retry !== undefined) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      if (this.#enabled()) void Promise.all(this.flush());
    }, RETRY_MS);
  }

  /** Forgets everything waiting (the composer stopped acting: its successor decides afresh). */
  clear(): void {
    this.#parcels.clear();
    clearTimeout(this.#retry);
    this.#retry = undefined;
  }
}
