import {
  BackpressureError,
  ClosedError,
  DEFAULT_LIMITS,
  InvalidArgumentError,
  PayloadTooLargeError,
  consoleLogger,
  type AnyWorkspace,
  type Logger,
  type MailboxReceiver,
  type Network,
  type ParamsOf,
  type ResultOf,
  type ScriptName,
} from '@orchestra/core';
import {
  PROTOCOL_VERSION,
  checkNetwork,
  WIRE_LIMITS,
  deserializeError,
  encodeJson,
  isConsumerMessage,
  mailboxes,
  newJobId,
  newRoleId,
  normaliseScriptName,
  sizeOverLimit,
  type ConsumerMessage,
  type JobSpec,
} from '@orchestra/core/internal';
import type { AddedJob, JobOptions } from './job.js';

/** Options of {@link Consumer}. */
export interface ConsumerOptions {
  /** This consumer's id: its mailbox on the network (default: a new unique id). */
  readonly id?: string;
  /** Largest params a job may carry, JSON-encoded, in bytes (default 1 MiB). */
  readonly maxParamsBytes?: number;
  /** Where problems are reported (default: the console). */
  readonly logger?: Logger;
  /**
   * Most jobs this consumer keeps unsettled at once (default 100 000). Past it, `addJob` waits for a
   * result to settle before sending, or rejects with `BackpressureError` when called with
   * `{ wait: false }`. This bounds the memory a flood of `addJob` calls can take here, in the
   * composer's queue and in the network.
   */
  readonly maxPending?: number;
}

/** Counters a consumer keeps, for monitoring. */
export interface ConsumerStats {
  /** Jobs added whose result has not settled yet. */
  readonly pending: number;
  /** `addJob` calls waiting for room under `maxPending`. */
  readonly waiting: number;
  /** Messages read from the network that failed validation and were set aside. */
  readonly invalidMessages: number;
}

interface Pending {
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
  onProgress: ((value: unknown) => void) | undefined;
}

interface Waiter {
  resolve(): void;
  reject(error: unknown): void;
}

const noop = (): void => undefined;

/**
 * Adds jobs to the network and gets their results back. `addJob` is typed by the workspace: the
 * script name, its params and its result.
 *
 * ```js
 * const consumer = new Consumer(network, workspace);
 * const { job, result } = await consumer.addJob('add.js', { a: 1, b: 2 });
 * console.log(job.id, await result); // 3
 * ```
 */
export class Consumer<W extends AnyWorkspace = AnyWorkspace> {
  /** This consumer's id. */
  readonly id: string;
  readonly #network: Network;
  readonly #workspace: W;
  readonly #logger: Logger;
  readonly #maxParamsBytes: number;
  readonly #maxPending: number;
  /** `addJob` calls waiting for room, first come first served. */
  #roomWaiters: Waiter[] = [];
  readonly #receiver: MailboxReceiver;
  readonly #pending = new Map<string, Pending>();
  #outbox: JobSpec[] = [];
  #waiters: Waiter[] = [];
  #flushScheduled = false;
  /** Slots held for woken room waiters that have not yet taken them. */
  #reserved = 0;
  #invalid = 0;
  #closed = false;

  constructor(network: Network, workspace: W, options: ConsumerOptions = {}) {
    checkNetwork(network);
    if (typeof workspace?.resolve !== 'function') throw new InvalidArgumentError('workspace must be a Workspace');
    const maxParamsBytes = options.maxParamsBytes ?? DEFAULT_LIMITS.maxParamsBytes;
    if (!Number.isInteger(maxParamsBytes) || maxParamsBytes < 1) {
      throw new InvalidArgumentError('maxParamsBytes must be a positive integer');
    }
    const maxPending = options.maxPending ?? 100_000;
    if (!Number.isInteger(maxPending) || maxPending < 1) throw new InvalidArgumentError('maxPending must be a positive integer');
    this.#maxPending = maxPending;
    this.id = options.id ?? newRoleId('consumer');
    this.#network = network;
    this.#workspace = workspace;
    this.#logger = options.logger ?? consoleLogger;
    this.#maxParamsBytes = maxParamsBytes;
    this.#receiver = network.receive(mailboxes.consumer(this.id), (messages) => this.#onMessages(messages));
  }

  /** Counters for monitoring. */
  stats(): ConsumerStats {
    return { pending: this.#pending.size, waiting: this.#roomWaiters.length, invalidMessages: this.#invalid };
  }

  /**
   * Adds a job: checks the script name against the workspace (refusing any name that could lead
   * outside it), checks the params against the script's schema and the size limit, and sends it.
   * Resolves once the network holds the job; `result` settles when it has run. Nothing is sent
   * when a check fails.
   */
  async addJob<K extends ScriptName<W>>(
    script: K,
    params: ParamsOf<W, K>,
    options: JobOptions = {},
  ): Promise<AddedJob<K, ResultOf<W, K>>> {
    if (this.#closed) throw new ClosedError('Consumer');
    const name = normaliseScriptName(script);
    this.#workspace.resolve(name);
    this.#workspace.checkParams(name, params);
    const priority = options.priority ?? 0;
    if (!Number.isInteger(priority) || Math.abs(priority) > 1_000_000) {
      throw new InvalidArgumentError(`priority must be an integer from -1000000 to 1000000, got ${String(priority)}`);
    }
    if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
      throw new InvalidArgumentError('onProgress must be a function');
    }
    if (options.wait !== undefined && typeof options.wait !== 'boolean') throw new InvalidArgumentError('wait must be a boolean');
    const text = encodeJson(params, `The params of ${name}`);
    if (text !== undefined) {
      const size = sizeOverLimit(text, this.#maxParamsBytes);
      if (size !== undefined) throw new PayloadTooLargeError(`The params of ${name}`, size, this.#maxParamsBytes);
    }

    // Room is checked and the slot taken with no await in between, so concurrent calls cannot
    // overshoot maxPending; calls that must wait are served first come, first served.
    if (this.#pending.size + this.#reserved >= this.#maxPending || this.#roomWaiters.length > 0) {
      if (options.wait === false) throw new BackpressureError(this.#maxPending);
      await new Promise<void>((resolve, reject) => this.#roomWaiters.push({ resolve, reject }));
      // #makeRoom reserved a slot for this call.
      this.#reserved -= 1;
    }

    const id = newJobId();
    const result = new Promise<ResultOf<W, K>>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject, onProgress: options.onProgress });
    });
    // The caller may only want the job id; a failed job must not crash it as an unhandled rejection.
    result.catch(noop);
    const spec: JobSpec = { id, script: name };
    if (text !== undefined) spec.params = text;
    if (priority !== 0) spec.priority = priority;
    try {
      await this.#enqueue(spec);
    } catch (error) {
      this.#pending.delete(id);
      this.#makeRoom();
      throw error;
    }
    return { job: { id, script, consumer: this.id }, result };
  }

  /** Queues a job for the next submit message; jobs added in the same tick travel together. */
  #enqueue(spec: JobSpec): Promise<void> {
    this.#outbox.push(spec);
    const sent = new Promise<void>((resolve, reject) => this.#waiters.push({ resolve, reject }));
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(() => this.#flush());
    }
    return sent;
  }

  #flush(): void {
    this.#flushScheduled = false;
    const jobs = this.#outbox;
    const waiters = this.#waiters;
    this.#outbox = [];
    this.#waiters = [];
    const messages = [];
    for (let i = 0; i < jobs.length; i += WIRE_LIMITS.maxBatch) {
      messages.push({ v: PROTOCOL_VERSION, type: 'submit' as const, consumer: this.id, jobs: jobs.slice(i, i + WIRE_LIMITS.maxBatch) });
    }
    this.#network.send(mailboxes.composer, messages).then(
      () => {
        for (const waiter of waiters) waiter.resolve();
      },
      (error: unknown) => {
        for (const waiter of waiters) waiter.reject(error);
      },
    );
  }

  #onMessages(messages: readonly unknown[]): void {
    for (const message of messages) {
      if (isConsumerMessage(message)) this.#handle(message);
      else {
        this.#invalid += 1;
        this.#logger.warn('consumer: set aside an invalid message', { reason: isConsumerMessage.explain(message) });
      }
    }
  }

  #handle(message: ConsumerMessage): void {
    if (message.type === 'progress') {
      for (const update of message.updates) {
        const pending = this.#pending.get(update.id);
        if (pending?.onProgress === undefined) continue;
        try {
          pending.onProgress(JSON.parse(update.value));
        } catch (error) {
          this.#logger.error('consumer: an onProgress callback threw', { error });
        }
      }
      return;
    }
    for (const settlement of message.settlements) {
      const pending = this.#pending.get(settlement.id);
      // Unknown ids are results already settled (a duplicate) or for an earlier consumer of this id.
      if (pending === undefined) continue;
      this.#pending.delete(settlement.id);
      this.#makeRoom();
      if (!settlement.ok) pending.reject(deserializeError(settlement.error));
      else if (settlement.result === undefined) pending.resolve(undefined as never);
      else {
        try {
          pending.resolve(JSON.parse(settlement.result) as never);
        } catch (error) {
          pending.reject(error);
        }
      }
    }
  }

  /** A result settled: wakes the longest-waiting `addJob` calls, one per free slot, holding each a slot. */
  #makeRoom(): void {
    while (this.#pending.size + this.#reserved < this.#maxPending) {
      const next = this.#roomWaiters.shift();
      if (next === undefined) return;
      this.#reserved += 1;
      next.resolve();
    }
  }

  /**
   * Stops receiving. Results still pending reject with `ClosedError` (the jobs themselves still
   * run). Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#receiver.close();
    for (const pending of this.#pending.values()) pending.reject(new ClosedError('Consumer'));
    this.#pending.clear();
    for (const waiter of this.#roomWaiters.splice(0)) waiter.reject(new ClosedError('Consumer'));
  }
}
