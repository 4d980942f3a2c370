import type { Logger, Network, NetworkMessage } from '@orchestra/core';
import { ClosedError } from '@orchestra/core';

/** After a failed send, before trying again. */
const RETRY_MS = 500;

/**
 * Messages to one mailbox, sent in order, one send at a time, everything waiting going together.
 * A failed send (Redis restarting, a cut connection) is tried again until it succeeds: a result
 * that was computed is never dropped on the floor.
 */
export class SendQueue {
  readonly #network: Network;
  readonly #mailbox: string;
  readonly #logger: Logger;
  #waiting: NetworkMessage[] = [];
  #sending = false;
  #failing = false;
  #retry: NodeJS.Timeout | undefined;
  #idle: (() => void)[] = [];
  #stopped = false;

  constructor(network: Network, mailbox: string, logger: Logger) {
    this.#network = network;
    this.#mailbox = mailbox;
    this.#logger = logger;
  }

  push(messages: readonly NetworkMessage[]): void {
    for (const message of messages) this.#waiting.push(message);
    this.#pump();
  }

  /** Resolves once everything pushed so far was sent (or the queue was stopped). */
  idle(): Promise<void> {
    if (!this.#sending && this.#waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Gives up on whatever is still unsent. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#waiting = [];
    this.#settleIdle();
  }

  #pump(): void {
    if (this.#sending || this.#retry !== undefined || this.#stopped) return;
    if (this.#waiting.length === 0) {
      this.#settleIdle();
      return;
    }
    const messages = this.#waiting;
    this.#waiting = [];
    this.#sending = true;
    this.#network.send(this.#mailbox, messages).then(
      () => {
        this.#sending = false;
        this.#failing = false;
        this.#pump();
      },
      (error: unknown) => {
        this.#sending = false;
        if (error instanceof ClosedError || this.#stopped) {
          this.stop();
          return;
        }
        if (!this.#failing) this.#logger.error(`could not send to ${this.#mailbox}; trying again`, { error });
        this.#failing = true;
        this.#waiting = [...messages, ...this.#waiting];
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          this.#pump();
        }, RETRY_MS);
      },
    );
  }

  #settleIdle(): void {
    const waiters = this.#idle;
    this.#idle = [];
    for (const resolve of waiters) resolve();
  }
}
