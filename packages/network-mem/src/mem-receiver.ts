import type { MailboxHandler, MailboxReceiver } from '@orchestra/core';
import type { Mailbox } from './mailbox.js';

/** How long an unacknowledged batch waits before it is delivered again. */
const REDELIVERY_DELAY_MS = 50;

/**
 * Delivers one mailbox to one handler: a batch at a time, the next only once the previous settled.
 * Delivery runs in a microtask after a send, so everything sent in one synchronous stretch arrives
 * as one batch.
 */
export class MemReceiver implements MailboxReceiver {
  readonly #box: Mailbox;
  readonly #handler: MailboxHandler;
  readonly #maxBatch: number;
  readonly #onError: (error: unknown) => void;
  readonly #detach: () => void;
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
    let outcome: void | Promise<void>;
    try {
      outcome = this.#handler(batch);
    } catch (error) {
      this.#failed(batch, error);
      return;
    }
    if (!(outcome instanceof Promise)) {
      this.wake();
      return;
    }
    this.#busy = outcome.then(
      () => {
        this.#busy = undefined;
        this.wake();
      },
      (error: unknown) => {
        this.#busy = undefined;
        this.#failed(batch, error);
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
    this.#detach();
  }
}
