import type { MailboxReceiver, Network, ReceiveOptions } from '@orchestra/core';
import { waitUntil } from './wait.js';

/**
 * Receives a mailbox of a real network into memory, recording each batch, so a test can wait for
 * and inspect what was delivered (what a role sent there, say).
 */
export class MailboxCollector {
  readonly batches: unknown[][] = [];
  readonly receiver: MailboxReceiver;
  readonly #mailbox: string;

  constructor(network: Network, mailbox: string, options: ReceiveOptions = {}) {
    this.#mailbox = mailbox;
    this.receiver = network.receive(mailbox, (messages) => {
      this.batches.push([...messages]);
    }, options);
  }

  get messages(): unknown[] {
    return this.batches.flat();
  }

  /** Waits until at least `count` messages have arrived. */
  async waitFor(count: number, timeoutMs?: number): Promise<unknown[]> {
    await waitUntil(() => this.messages.length >= count, `${count} messages reached ${this.#mailbox} (got ${this.messages.length})`, timeoutMs);
    return this.messages;
  }
}
