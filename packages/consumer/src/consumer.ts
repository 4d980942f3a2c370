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
  type WorkspaceConstructor,
} from '@orchestra/core';
import {
  PROTOCOL_VERSION,
  checkNetwork,
  WIRE_LIMITS,
  deserializeError,
  encodeJson,
  isConsumerMessage,
  mailboxes,
  JobIds,
  newRoleId,
  isValidId,
  normaliseScriptName,
  sizeOverLimit,
  type CancelRequestMessage,
  type ConsumerMessage,
  type JobSpec,
  type SettleMessage,
} from '@orchestra/core/internal';
import type { AddedJob, JobOptions } from './job.js';
import type { ConsumerOptions, ConsumerStats } from './consumer-options.js';
import { runOptions } from './job-options.js';

/** Results that arrived for jobs nobody asked about here yet, kept for `result(id)`: at most this many. */
const MAX_KEPT_RESULTS = 100_000;

type Outcome = SettleMessage['settlements'][number];

interface Pending {
  resolve: (value: never) => void;
  reject: (error: unknown) => void;
  onProgress: ((value: unknown) => void) | undefined;
  /** Set right after the promise is made (its executor runs before it exists). */
  promise: Promise<unknown> | undefined;
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
 *
 * The type argument, when given, is the workspace's type: `Consumer<typeof workspace>`. The class
 * itself, `Consumer<typeof Workspace>` as the original document writes it, stands for any workspace:
 * any script name, results typed `unknown`.
 */
export class Consumer<W extends AnyWorkspace | WorkspaceConstructor = AnyWorkspace> {
  /** This consumer's id. */
  readonly id: string;
  readonly #network: Network;
  readonly #workspace: AnyWorkspace;
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
  #stale = 0;
  #duplicates = 0;
  /** The highest composer epoch heard from: messages of an older one are refused. */
  #epoch = 0;
  readonly #resultTtlMs: number;
  /** Settlements for jobs not pending here, by id, until someone asks for them. */
  readonly #kept = new Map<string, Outcome>();
  /** Ids settled here (bounded), to tell a duplicate from a result kept for an earlier process. */
  /** Makes this instance's job ids, and tells them from those of an earlier process with the same consumer id. */
  readonly #ids = new JobIds();
  #closed = false;
  /** Set once `workspace.ready()` resolved (the schema compiler, if there are schemas, is loaded). */
  #workspaceReady = false;

  constructor(network: Network, workspace: W, options?: ConsumerOptions);
  /** `Consumer<typeof Workspace>`: the class as the type argument, for any workspace. */
  constructor(network: Network, workspace: W extends WorkspaceConstructor ? AnyWorkspace : never, options?: ConsumerOptions);
  constructor(network: Network, workspace: AnyWorkspace | WorkspaceConstructor, options: ConsumerOptions = {}) {
    checkNetwork(network);
    if (typeof (workspace as Partial<AnyWorkspace> | undefined)?.resolve !== 'function') throw new InvalidArgumentError('workspace must be a Workspace');
    const maxParamsBytes = options.maxParamsBytes ?? DEFAULT_LIMITS.maxParamsBytes;
    if (!Number.isInteger(maxParamsBytes) || maxParamsBytes < 1) {
      throw new InvalidArgumentError('maxParamsBytes must be a positive integer');
    }
    const maxPending = options.maxPending ?? 100_000;
    if (!Number.isInteger(maxPending) || maxPending < 1) throw new InvalidArgumentError('maxPending must be a positive integer');
    this.#maxPending = maxPending;
    const resultTtlMs = options.resultTtlMs ?? 3_600_000;
    if (!Number.isInteger(resultTtlMs) || resultTtlMs < 1_000 || resultTtlMs > WIRE_LIMITS.maxMillis) {
      throw new InvalidArgumentError(`resultTtlMs must be an integer from 1000 to ${WIRE_LIMITS.maxMillis}`);
    }
    this.#resultTtlMs = resultTtlMs;
    this.id = options.id ?? newRoleId('consumer');
    this.#network = network;
    this.#workspace = workspace as AnyWorkspace;
    this.#logger = options.logger ?? consoleLogger;
    this.#maxParamsBytes = maxParamsBytes;
    this.#receiver = network.receive(mailboxes.consumer(this.id), (messages) => this.#onMessages(messages));
  }

  /** Counters for monitoring. */
  stats(): ConsumerStats {
    return {
      pending: this.#pending.size,
      waiting: this.#roomWaiters.length,
      invalidMessages: this.#invalid,
      staleMessages: this.#stale,
      duplicateSettlements: this.#duplicates,
      keptResults: this.#kept.size,
    };
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
    // The schema compiler loads in the background from the workspace's constructor on; once it
    // is ready, jobs go on with no await here.
    if (!this.#workspaceReady) {
      await this.#workspace.ready();
      this.#workspaceReady = true;
    }
    if (this.#closed) throw new ClosedError('Consumer');
    const name = normaliseScriptName(script);
    this.#workspace.resolve(name);
    this.#workspace.checkParams(name, params);
    const run = runOptions(options);
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

    const id = this.#ids.next();
    const result = this.#await(id, options.onProgress) as Promise<ResultOf<W, K>>;
    const spec: JobSpec = { id, script: name, ...run };
    if (text !== undefined) spec.params = text;
    try {
      await this.#enqueue(spec);
    } catch (error) {
      this.#pending.delete(id);
      this.#makeRoom();
      throw error;
    }
    return { job: { id, script, consumer: this.id }, result };
  }

  /** Registers a pending result; it never counts as an unhandled rejection if nobody awaits it. */
  #await(id: string, onProgress: ((value: unknown) => void) | undefined): Promise<unknown> {
    let pending!: Pending;
    const promise = new Promise<unknown>((resolve, reject) => {
      pending = { resolve, reject, onProgress, promise: undefined };
    });
    pending.promise = promise;
    this.#pending.set(id, pending);
    promise.catch(noop);
    return promise;
  }

  /**
   * The result of a job this consumer's id added: in this process, or in an earlier one with the
   * same id that ended before the job settled (the network keeps such results for `resultTtlMs`).
   * Settles like `addJob`'s `result`. For a job it knows nothing of, it waits until that result
   * arrives or the consumer closes.
   */
  result<R = unknown>(jobId: string): Promise<R> {
    if (this.#closed) return Promise.reject(new ClosedError('Consumer'));
    if (typeof jobId !== 'string' || !isValidId(jobId)) return Promise.reject(new InvalidArgumentError(`Not a job id: ${String(jobId)}`));
    const pending = this.#pending.get(jobId);
    if (pending?.promise !== undefined) return pending.promise as Promise<R>;
    const promise = this.#await(jobId, undefined) as Promise<R>;
    const kept = this.#kept.get(jobId);
    if (kept !== undefined) {
      this.#kept.delete(jobId);
      this.#settle(kept);
    }
    return promise;
  }

  /**
   * Cancels a job this consumer's id added, wherever it is: waiting in the queue, or running on any
   * instrument (its abort `signal` fires, and its thread is ended after a grace period). Its
   * `result` rejects with `JobCancelledError`. Resolves once the request is in the network; a job
   * that already settled is left as it was.
   */
  async cancel(jobId: string): Promise<void> {
    if (this.#closed) throw new ClosedError('Consumer');
    if (typeof jobId !== 'string' || !isValidId(jobId)) throw new InvalidArgumentError(`Not a job id: ${String(jobId)}`);
    const message: CancelRequestMessage = { v: PROTOCOL_VERSION, type: 'cancel', consumer: this.id, ids: [jobId] };
    await this.#network.send(mailboxes.composer, [message]);
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
      messages.push({
        v: PROTOCOL_VERSION,
        type: 'submit' as const,
        consumer: this.id,
        resultTtlMs: this.#resultTtlMs,
        jobs: jobs.slice(i, i + WIRE_LIMITS.maxBatch),
      });
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
    // A composer that lost its lease may still have sent something; its successor's word counts.
    if (message.epoch < this.#epoch) {
      this.#stale += 1;
      return;
    }
    this.#epoch = message.epoch;
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
    for (const settlement of message.settlements) this.#settle(settlement);
  }

  /** Drops the oldest tenth at once: deleting one first entry at a time would make V8 rescan every deleted slot. */
  #forgetOldestKept(): void {
    let count = Math.ceil(MAX_KEPT_RESULTS / 10);
    this.#logger.warn(`consumer: more than ${MAX_KEPT_RESULTS} results kept that nobody asked for; dropping the oldest ${count}`);
    for (const id of this.#kept.keys()) {
      this.#kept.delete(id);
      count -= 1;
      if (count === 0) return;
    }
  }

  #settle(settlement: Outcome): void {
    const pending = this.#pending.get(settlement.id);
    if (pending === undefined) {
      // One of this instance's own jobs that is no longer pending has settled already.
      if (this.#ids.made(settlement.id)) this.#duplicates += 1;
      else {
        // For a job of an earlier process with this id: kept until someone asks (bounded).
        this.#kept.set(settlement.id, settlement);
        if (this.#kept.size > MAX_KEPT_RESULTS) this.#forgetOldestKept();
      }
      return;
    }
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
