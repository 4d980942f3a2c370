import { ClosedError } from '../errors/lifecycle-errors.js';
import type { Logger } from '../logger.js';
import type { Network, NetworkMessage, SendOptions } from '../network.js';

/** After a failed send, before trying again. */
export const SEND_RETRY_MS = 500;

/** Options of {@link RetryingSender.push} and {@link RetryingSender.attempt}. */
export interface PushOptions {
  /** Passed to `network.send`; the newest one given for messages sent together counts. */
  readonly expireAfterMs?: number | undefined;
  /** Called once these messages are in the network. */
  readonly onSent?: readonly (() => void)[];
}

/** Options of {@link RetryingSender}. */
export interface RetryingSenderOptions {
  /** Asked before each retry; false gives up on what is unsent (default: always retry). */
  readonly mayRetry?: () => boolean;
  /** Every message to this mailbox lets memory be freed: passed to `network.send` (see `SendOptions.freesMemory`). */
  readonly freesMemory?: boolean;
}

/**
 * Messages to one mailbox, sent in order, one send at a time, everything waiting going together.
 * A failed send (Redis restarting, a cut connection) is tried again every {@link SEND_RETRY_MS}
 * until it succeeds, the network is closed or the sender is stopped: a settlement or a result,
 * once decided, is never dropped on the floor. The composer and the instrument both send this way.
 */
export class RetryingSender {
  readonly #network: Network;
  readonly #mailbox: string;
  readonly #logger: Logger;
  readonly #role: string;
  readonly #mayRetry: () => boolean;
  readonly #freesMemory: boolean;
  #messages: NetworkMessage[] = [];
  #expireAfterMs: number | undefined;
  #onSent: (() => void)[] = [];
  /** Resolvers of `push` promises whose messages have not been tried yet. */
  #untried: (() => void)[] = [];
  #idle: (() => void)[] = [];
  #sending = false;
  #failing = false;
  #retry: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(network: Network, mailbox: string, logger: Logger, role: string, options: RetryingSenderOptions = {}) {
    this.#network = network;
    this.#mailbox = mailbox;
    this.#logger = logger;
    this.#role = role;
    this.#mayRetry = options.mayRetry ?? (() => true);
    this.#freesMemory = options.freesMemory === true;
  }

  /** True while nothing is waiting or being sent. */
  get isIdle(): boolean {
    return !this.#sending && this.#messages.length === 0;
  }

  /** Queues messages, to go with whatever else is waiting for this mailbox. */
  push(messages: readonly NetworkMessage[], options: PushOptions = {}): void {
    if (this.#stopped) return;
    this.#take(messages, options);
    this.#pump();
  }

  /**
   * Queues messages, as {@link push}, and resolves once they were sent, or a send of them failed and
   * they wait for a retry, or the sender stopped: a caller may wait for the attempt without waiting
   * out an outage.
   */
  attempt(messages: readonly NetworkMessage[], options: PushOptions = {}): Promise<void> {
    if (this.#stopped) return Promise.resolve();
    this.#take(messages, options);
    if (this.#retry !== undefined) return Promise.resolve();
    const tried = new Promise<void>((resolve) => this.#untried.push(resolve));
    this.#pump();
    return tried;
  }

  /** Resolves once everything pushed so far was sent (or the sender stopped). */
  idle(): Promise<void> {
    if (this.isIdle || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => this.#idle.push(resolve));
  }

  /** Gives up on whatever is still unsent. */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#retry);
    this.#retry = undefined;
    this.#messages = [];
    this.#onSent = [];
    settleAll(this.#untried.splice(0));
    settleAll(this.#idle.splice(0));
  }

  #take(messages: readonly NetworkMessage[], options: PushOptions): void {
    for (const message of messages) this.#messages.push(message);
    if (options.expireAfterMs !== undefined) this.#expireAfterMs = options.expireAfterMs;
    if (options.onSent !== undefined) for (const callback of options.onSent) this.#onSent.push(callback);
  }

  #pump(): void {
    if (this.#sending || this.#retry !== undefined || this.#stopped) return;
    if (this.#messages.length === 0) {
      settleAll(this.#idle.splice(0));
      return;
    }
    const messages = this.#messages;
    const onSent = this.#onSent;
    const expireAfterMs = this.#expireAfterMs;
    const tried = this.#untried;
    this.#messages = [];
    this.#onSent = [];
    this.#untried = [];
    this.#sending = true;
    const sendOptions: SendOptions = {
      ...(expireAfterMs === undefined ? {} : { expireAfterMs }),
      ...(this.#freesMemory ? { freesMemory: true } : {}),
    };
    this.#network.send(this.#mailbox, messages, sendOptions).then(
      () => {
        this.#sending = false;
        this.#failing = false;
        for (const callback of onSent) callback();
        settleAll(tried);
        this.#pump();
      },
      (error: unknown) => {
        this.#sending = false;
        settleAll(tried);
        if (error instanceof ClosedError || this.#stopped || !this.#mayRetry()) {
          this.stop();
          return;
        }
        if (!this.#failing) this.#logger.warn(`${this.#role}: could not send to ${this.#mailbox}; trying again`, { error });
        this.#failing = true;
        // Older messages go first, before what was pushed since.
        this.#messages = [...messages, ...this.#messages];
        this.#onSent = [...onSent, ...this.#onSent];
        this.#expireAfterMs ??= expireAfterMs;
        settleAll(this.#untried.splice(0));
        this.#retry = setTimeout(() => {
          this.#retry = undefined;
          if (this.#mayRetry()) this.#pump();
          else this.stop();
        }, SEND_RETRY_MS);
      },
    );
  }
}

function settleAll(resolvers: readonly (() => void)[]): void {
  for (const resolve of resolvers) resolve();
}
