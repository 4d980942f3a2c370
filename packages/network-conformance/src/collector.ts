import type { MailboxReceiver, Network, ReceiveOptions } from '@orchestra/core';
import { waitUntil } from './wait.js';

/** Receives a mailbox into memory, recording each batch, so cases can wait for and inspect deliveries. */
export class Collector {
  readonly batches: unknown[][] = [];
  readonly receiver: MailboxReceiver;

  constructor(network: Network, mailbox: string, options: ReceiveOptions = {}) {
    this.receiver = network.receive(mailbox, (messages) => {
      this.batches.push([...messages]);
    }, options);
  }

  get messages(): unknown[] {
    return this.batches.flat();
  }

  /** Waits until at least `count` messages have arrived. */
  async waitFor(count: number, timeoutMs?: number): Promise<unknown[]> {
    await waitUntil(() => this.messages.length >= count, `${count} messages arrived (got ${this.messages.length})`, timeoutMs);
    return this.messages;
  }
}
