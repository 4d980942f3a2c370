import type { Delivery, MailboxHandler, MailboxReceiver, Release } from '@orchestra/core';
import type { Mailbox } from './mailbox.js';

/** How long an unacknowledged batch waits before it is delivered again. */
const REDELIVERY_DELAY_MS = 50;

const released: Release = () => undefined;

/**
 * Delivers one mailbox to one handler: a batch at a time, the next only once the previous settled.
 * Delivery runs in a microtask after a send, so everything sent in one synchronous stretch arrives
 * as one batch. Messages the handler holds stay here, in send order, until released; at close,
 * those still held go back to the front of the mailbox for the next receiver.
 */
export class MemReceiver implements MailboxReceiver {
  readonly #box: Mailbox;
  readonly #handler: MailboxHandler;
  readonly #maxBatch: number;
  readonly #onError: (error: unknown) => void;
  readonly #detach: () => void;
  /** Held messages by delivery sequence number; a Map keeps them in the order they were held. */
  readonly #held = new Map<number, unknown>();
  /** Sequence number of the first message of the next batch. */
  #sequence = 0;
  #scheduled = false;
  #busy: Promise<void> | undefined;
  #retry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(box: Mailbox, handler: MailboxHandler, maxBatch: number, onError: (error: unknown) => void, detach: () => void) {
    this.#box = box;
    this.#handler = handler;
    this.#maxBatch = maxBatch;
    this.#onError = onError;
    this.#detach = detach;
  }

  /** Messages held and not yet released. */
  get held(): number {
    return this.#held.size;
  }

  /** Called after every send to the mailbox. */
  wake(): void {
    if (this.#scheduled || this.#busy !== undefined || this.#retry !== undefined || this.#closed) return;
    this.#scheduled = true;
    queueMicrotask(() => {
      this.#scheduled = false;
      this.#deliver();
    });
  }

  #deliver(): void {
    if (this.#closed || this.#box.size === 0) return;
    const batch = this.#box.take(this.#maxBatch);
    const first = this.#sequence;
    this.#sequence += batch.length;
    const holds: number[] = [];
    let open = true;
    const delivery: Delivery = {
      hold: (index) => {
        if (!open || !Number.isInteger(index) || index < 0 || index >= batch.length) return released;
        const sequence = first + index;
        if (!this.#held.has(sequence)) {
          this.#held.set(sequence, batch[index]);
          holds.push(sequence);
        }
        return () => {
          this.#held.delete(sequence);
        };
      },
    };
    const fail = (error: unknown): void => {
      // The whole batch comes again, so its holds are void.
      for (const sequence of holds) this.#held.delete(sequence);
      this.#failed(batch, error);
    };
    let outcome: void | Promise<void>;
    try {
      outcome = this.#handler(batch, delivery);
    } catch (error) {
      open = false;
      fail(error);
      return;
    }
    if (!(outcome instanceof Promise)) {
      open = false;
      this.wake();
      return;
    }
    this.#busy = outcome.then(
      () => {
        open = false;
        this.#busy = undefined;
        this.wake();
      },
      (error: unknown) => {
        open = false;
        this.#busy = undefined;
        fail(error);
      },
    );
  }

  #failed(batch: readonly unknown[], error: unknown): void {
    this.#box.putBack(batch);
    this.#onError(error);
    if (this.#closed) return;
    this.#retry = setTimeout(() => {
      this.#retry = undefined;
      this.wake();
    }, REDELIVERY_DELAY_MS);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    await this.#busy;
    // What the handler still held was never acknowledged: the next receiver gets it first.
    if (this.#held.size > 0) {
      const still = [...this.#held.entries()].sort(([a], [b]) => a - b).map(([, message]) => message);
      this.#held.clear();
      this.#box.putBack(still);
    }
    this.#detach();
  }
}
