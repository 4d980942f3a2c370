import type { MailboxHandler } from '@orchestra/core';

/** One mailbox's queue: an array with a moving head, so taking a batch costs no copying of the rest. */
export class Mailbox {
  #items: unknown[] = [];
  #head = 0;
  /** The receiver, when someone reads this mailbox. */
  receiver: MailboxHandler | undefined;
  /** When the mailbox may be dropped (Date.now() ms), if a send asked for it to expire. */
  expiresAt: number | undefined;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(messages: readonly unknown[]): void {
    for (const message of messages) this.#items.push(message);
  }

  /** Takes up to `max` messages from the front. */
  take(max: number): unknown[] {
    const end = Math.min(this.#items.length, this.#head + max);
    const batch = this.#items.slice(this.#head, end);
    this.#head = end;
    if (this.#head === this.#items.length) {
      this.#items = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return batch;
  }

  /** Puts an unacknowledged batch back at the front, to be delivered again before newer messages. */
  putBack(batch: readonly unknown[]): void {
    this.#items = [...batch, ...this.#items.slice(this.#head)];
    this.#head = 0;
  }
}
