import type { MailboxReceiver } from '@orchestra/core';
import { RedisCommandError, RedisEvictionPolicyError } from './errors.js';
import type { MemoryPolicyCheck } from './memory-policy-check.js';
import { WakeablePause } from './wakeable-pause.js';

/** Checks of a refused (or unreachable) Redis back off from this to {@link MAX_RETRY_MS}. */
const MIN_RETRY_MS = 100;
const MAX_RETRY_MS = 2_000;

/** What {@link GatedReceiver} needs. */
export interface GatedReceiverOptions {
  readonly mailbox: string;
  readonly check: MemoryPolicyCheck;
  /** Starts the receiver that actually reads the mailbox. */
  readonly start: () => MailboxReceiver;
  readonly onError: (error: unknown) => void;
  /** Called once it has stopped, so the network forgets it. */
  readonly detach: () => void;
}

/**
 * A mailbox receiver that reads only while Redis keeps its keys. It starts reading once the
 * memory policy check passed; when a later check (after a reconnection) refuses the policy, it
 * stops reading, and what it was handed and had not acknowledged stays pending for its next start.
 * Meanwhile it reports the refusal through `onError`, once, and checks again with a backoff, so a
 * Redis whose policy is then fixed is picked up without a restart.
 */
export class GatedReceiver implements MailboxReceiver {
  readonly #options: GatedReceiverOptions;
  readonly #done: Promise<void>;
  #closed = false;
  readonly #pauses = new WakeablePause();
  readonly #closing: Promise<void>;
  #markClosing: () => void = () => undefined;

  constructor(options: GatedReceiverOptions) {
    this.#options = options;
    this.#closing = new Promise((resolve) => {
      this.#markClosing = resolve;
    });
    this.#done = this.#run();
  }

  async #run(): Promise<void> {
    let retryMs = MIN_RETRY_MS;
    let reported = false;
    try {
      while (!this.#closed) {
        const passed = await Promise.race([this.#options.check.passed().then(() => undefined, (error: unknown) => ({ error })), this.#closing]);
        if (this.#closed) break;
        if (passed !== undefined) {
          if (!reported) this.#report(passed.error);
          reported = true;
          await this.#pause(retryMs);
          retryMs = Math.min(retryMs * 2, MAX_RETRY_MS);
          continue;
        }
        retryMs = MIN_RETRY_MS;
        reported = false;
        let stopReading: (error: RedisEvictionPolicyError) => void = () => undefined;
        const refused = new Promise<RedisEvictionPolicyError>((resolve) => {
          stopReading = resolve;
        });
        const unsubscribe = this.#options.check.onRefusal((error) => stopReading(error));
        const receiver = this.#options.start();
        const refusal = await Promise.race([refused, this.#closing]);
        unsubscribe();
        await receiver.close();
        if (refusal !== undefined && !this.#closed) {
          this.#report(refusal);
          reported = true;
        }
      }
    } finally {
      this.#options.detach();
    }
  }

  #report(error: unknown): void {
    this.#options.onError(
      error instanceof RedisEvictionPolicyError ? error : new RedisCommandError(`Reading mailbox ${this.#options.mailbox} failed; retrying`, { cause: error }),
    );
  }

  #pause(ms: number): Promise<void> {
    return this.#pauses.wait(ms);
  }


  async close(): Promise<void> {
    if (!this.#closed) {
      this.#closed = true;
      this.#markClosing();
      this.#pauses.wake();
    }
    await this.#done;
  }
}
