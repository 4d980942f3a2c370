import type { Logger } from '../logger.js';
import type { MessageCheck } from '../protocol/message-check.js';

/**
 * Where a role reads what the network hands it: every message is checked against the role's
 * schema before use; one that fails is counted, reported and set aside, never thrown on, so nothing
 * read from the network can crash a process.
 */
export class Intake<M> {
  readonly #role: string;
  readonly #check: MessageCheck<M>;
  readonly #logger: Logger;
  #invalid = 0;

  constructor(role: string, check: MessageCheck<M>, logger: Logger) {
    this.#role = role;
    this.#check = check;
    this.#logger = logger;
  }

  /** Messages set aside so far as invalid. */
  get invalid(): number {
    return this.#invalid;
  }

  /** Calls `handle` with each valid message and its index in the batch, in order. */
  read(messages: readonly unknown[], handle: (message: M, index: number) => void): void {
    for (let index = 0; index < messages.length; index += 1) {
      const message = messages[index];
      if (this.#check(message)) handle(message, index);
      else {
        this.#invalid += 1;
        this.#logger.warn(`${this.#role}: set aside an invalid message`, { reason: this.#check.explain(message) });
      }
    }
  }
}
