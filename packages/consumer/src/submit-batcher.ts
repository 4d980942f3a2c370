import type { Network } from '@orchestra/core';
import { PROTOCOL_VERSION, WIRE_LIMITS, mailboxes, type JobSpec, type SubmitMessage } from '@orchestra/core/internal';

/** How to tell one `send` caller how the send of its job went. */
interface Sender {
  resolve(): void;
  reject(error: unknown): void;
}

/**
 * Sends a consumer's jobs to the composer: jobs sent in the same tick travel together, in submit
 * messages of at most {@link WIRE_LIMITS.maxItems} jobs, in one `network.send`.
 */
export class SubmitBatcher {
  readonly #network: Network;
  readonly #consumer: string;
  readonly #resultTtlMs: number;
  /** Jobs for the next send. */
  #outbox: JobSpec[] = [];
  /** The callers whose jobs are in the outbox, in the same order. */
  #senders: Sender[] = [];
  #flushScheduled = false;

  /** `resultTtlMs` travels with every submission: how long the network keeps results nobody reads. */
  constructor(network: Network, consumer: string, resultTtlMs: number) {
    this.#network = network;
    this.#consumer = consumer;
    this.#resultTtlMs = resultTtlMs;
  }

  /** Queues a job for the next send; resolves once the network holds it, rejects if that send failed. */
  send(spec: JobSpec): Promise<void> {
    this.#outbox.push(spec);
    const sent = new Promise<void>((resolve, reject) => this.#senders.push({ resolve, reject }));
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
    return sent;
  }

  #flush(): void {
    this.#flushScheduled = false;
    const jobs = this.#outbox;
    const senders = this.#senders;
    this.#outbox = [];
    this.#senders = [];
    const messages: SubmitMessage[] = [];
    for (let i = 0; i < jobs.length; i += WIRE_LIMITS.maxItems) {
      messages.push({
        v: PROTOCOL_VERSION,
        type: 'submit',
        consumer: this.#consumer,
        resultTtlMs: this.#resultTtlMs,
        jobs: jobs.slice(i, i + WIRE_LIMITS.maxItems),
      });
    }
    this.#network.send(mailboxes.composer, messages).then(
      () => {
        for (const sender of senders) sender.resolve();
      },
      (error: unknown) => {
        for (const sender of senders) sender.reject(error);
      },
    );
  }
}
