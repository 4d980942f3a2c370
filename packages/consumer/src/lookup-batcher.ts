import type { Network } from '@orchestra/core';
import { PROTOCOL_VERSION, WIRE_LIMITS, mailboxes, type schemas } from '@orchestra/core/internal';

/**
 * Asks the composer which of this consumer's jobs it holds, for `result(id)` calls on ids of an
 * earlier process: the ids asked in the same tick travel together, in `lookup` messages of at most
 * {@link WIRE_LIMITS.maxItems} ids, in one `network.send`. The composer answers in the consumer's
 * mailbox with the ids it does not hold (see `PendingResults.unknown`).
 */
export class LookupBatcher {
  readonly #network: Network;
  readonly #consumer: string;
  readonly #resultTtlMs: number;
  /** Told which ids could not be asked, and why: their results would otherwise wait for an answer that never comes. */
  readonly #onFailed: (ids: readonly string[], error: unknown) => void;
  #outbox: string[] = [];
  #flushScheduled = false;
  #closed = false;

  /** `resultTtlMs`: how long the answer may wait in the consumer's mailbox if nobody reads it. */
  constructor(network: Network, consumer: string, resultTtlMs: number, onFailed: (ids: readonly string[], error: unknown) => void) {
    this.#network = network;
    this.#consumer = consumer;
    this.#resultTtlMs = resultTtlMs;
    this.#onFailed = onFailed;
  }

  /** Queues `id` for the next lookup. */
  ask(id: string): void {
    if (this.#closed) return;
    this.#outbox.push(id);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
  }

  /** Asks nothing more: the consumer closed, and nobody would read the answer. */
  close(): void {
    this.#closed = true;
    this.#outbox = [];
  }

  #flush(): void {
    this.#flushScheduled = false;
    const ids = this.#outbox;
    this.#outbox = [];
    if (ids.length === 0) return;
    const messages: schemas.LookupMessage[] = [];
    for (let i = 0; i < ids.length; i += WIRE_LIMITS.maxItems) {
      messages.push({
        v: PROTOCOL_VERSION,
        type: 'lookup',
        consumer: this.#consumer,
        resultTtlMs: this.#resultTtlMs,
        ids: ids.slice(i, i + WIRE_LIMITS.maxItems),
      });
    }
    this.#network.send(mailboxes.composer, messages).catch((error: unknown) => this.#onFailed(ids, error));
  }
}
