import type { MailboxReceiver, Network } from '@orchestra/core';
import { waitUntil } from './wait-until.js';

/** Reads one mailbox of a real network into memory, so a test sees what a role sent there. */
export class Collector {
  readonly messages: unknown[] = [];
  readonly receiver: MailboxReceiver;
  readonly #mailbox: string;

  constructor(network: Network, mailbox: string) {
    this.#mailbox = mailbox;
    this.receiver = network.receive(mailbox, (batch) => {
      this.messages.push(...batch);
    });
  }

  /** Waits until at least `count` messages have arrived; returns all that did. */
  async waitFor(count: number, timeoutMs?: number): Promise<unknown[]> {
    await waitUntil(() => this.messages.length >= count, `${String(count)} messages reached ${this.#mailbox}`, timeoutMs);
    return this.messages;
  }
}
