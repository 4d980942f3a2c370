import {
  ClosedError,
  InvalidArgumentError,
  PayloadTooLargeError,
  type AnyWorkspace,
  type Delivery,
  type MailboxReceiver,
  type Network,
  type ParamsOf,
  type ResultOf,
  type ScriptName,
  type WorkspaceConstructor,
} from '@orchestra/core';
import {
  PROTOCOL_VERSION,
  EpochGate,
  Intake,
  JobIds,
  WIRE_LIMITS,
  checkNetwork,
  encodeJson,
  integerOptionError,
  isConsumerMessage,
  isValidId,
  mailboxes,
  normaliseScriptName,
  sizeOverLimit,
  type CancelRequestMessage,
  type ConsumerMessage,
  type JobSpec,
} from '@orchestra/core/internal';
import type { AddedJob, JobOptions } from './job.js';
import type { ConsumerOptions, ConsumerStats, ResultOptions } from './consumer-options.js';
import { consumerSettings } from './consumer-settings.js';
import { checkJobOptions } from './job-options.js';
import { LookupBatcher } from './lookup-batcher.js';
import { MessageHold } from './message-hold.js';
import { PendingResults } from './pending-results.js';
import { withinTimeout } from './result-timeout.js';
import { Room } from './room.js';
import { SubmitBatcher } from './submit-batcher.js';

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
  readonly #maxParamsBytes: number;
  /** Makes this instance's job ids, and tells them from those of an earlier process with the same consumer id. */
  readonly #ids = new JobIds();
  readonly #results: PendingResults;
  readonly #room: Room;
  readonly #submits: SubmitBatcher;
  readonly #lookups: LookupBatcher;
  readonly #intake: Intake<ConsumerMessage>;
  readonly #epochs = new EpochGate();
  readonly #receiver: MailboxReceiver;
  #closed = false;
  /** Set once `workspace.ready()` resolved (the schema compiler, if there are schemas, is loaded). */
  #workspaceReady = false;

  constructor(network: Network, workspace: W, options?: ConsumerOptions);
  /** `Consumer<typeof Workspace>`: the class as the type argument, for any workspace. */
  constructor(network: Network, workspace: W extends WorkspaceConstructor ? AnyWorkspace : never, options?: ConsumerOptions);
  constructor(network: Network, workspace: AnyWorkspace | WorkspaceConstructor, options: ConsumerOptions = {}) {
    checkNetwork(network);
    if (typeof (workspace as Partial<AnyWorkspace> | undefined)?.resolve !== 'function') throw new InvalidArgumentError('workspace must be a Workspace');
    const settings = consumerSettings(options);
    this.id = settings.id;
    this.#network = network;
    this.#workspace = workspace as AnyWorkspace;
    this.#maxParamsBytes = settings.maxParamsBytes;
    this.#results = new PendingResults(this.#ids, settings.logger, () => this.#room.free(), (id) => this.#lookups.ask(id));
    this.#room = new Room(settings.maxPending, () => this.#results.pending);
    this.#submits = new SubmitBatcher(network, this.id, settings.resultTtlMs);
    this.#lookups = new LookupBatcher(network, this.id, settings.resultTtlMs, (ids, error) => this.#results.lookupFailed(ids, error));
    this.#intake = new Intake('consumer', isConsumerMessage, settings.logger);
    // The composer sends here with expireAfterMs: the mailbox expires once nobody has sent to it for resultTtlMs.
    this.#receiver = network.receive(mailboxes.consumer(this.id), (messages, delivery) => this.#onMessages(messages, delivery), { expiring: true });
  }

  /** Counters for monitoring. */
  stats(): ConsumerStats {
    return {
      pending: this.#results.pending,
      waiting: this.#room.waiting,
      invalidMessages: this.#intake.invalid,
      staleMessages: this.#epochs.stale,
      duplicateSettlements: this.#results.duplicates,
      keptResults: this.#results.kept,
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
    const { run, onProgress, wait } = checkJobOptions(options);
    const text = this.#encodeParams(name, params);

    const { id, result } = await this.#room.admit(wait, () => {
      const next = this.#ids.next();
      return { id: next, result: this.#results.add(next, onProgress) as Promise<ResultOf<W, K>> };
    });
    const spec: JobSpec = { id, script: name, ...run };
    if (text !== undefined) spec.params = text;
    try {
      await this.#submits.send(spec);
    } catch (error) {
      this.#results.forget(id);
      throw error;
    }
    return { job: { id, script, consumer: this.id }, result };
  }

  /** The params as JSON text (undefined for `undefined`), or `PayloadTooLargeError` past `maxParamsBytes`. */
  #encodeParams(name: string, params: unknown): string | undefined {
    const text = encodeJson(params, `The params of ${name}`, 'params');
    if (text === undefined) return undefined;
    const size = sizeOverLimit(text, this.#maxParamsBytes);
    if (size !== undefined) throw new PayloadTooLargeError(`The params of ${name}`, size, this.#maxParamsBytes);
    return text;
  }

  /**
   * The result of a job this consumer's id added: in this process, or in an earlier one with the
   * same id that ended before the job settled (the network keeps such results for `resultTtlMs`).
   * Settles like `addJob`'s `result`, and every caller asking while it is pending gets the same
   * settlement. Each result is handed out once: asked again after it settled, it rejects at once with
   * `ResultDeliveredError`. For an id the network holds no job of (never added, delivered to an
   * earlier process, or expired), it rejects with `UnknownJobError` once the composer said so.
   * With `timeout` (ms), the wait rejects with `ResultTimeoutError` past it; the job goes on, and a
   * later call still gets its result.
   */
  result<R = unknown>(jobId: string, options?: ResultOptions): Promise<R> {
    if (this.#closed) return Promise.reject(new ClosedError('Consumer'));
    if (typeof jobId !== 'string' || !isValidId(jobId)) return Promise.reject(new InvalidArgumentError(`Not a job id: ${String(jobId)}`));
    if (options !== undefined && (typeof options !== 'object' || options === null)) {
      return Promise.reject(new InvalidArgumentError('The options of result(jobId, options) must be an object'));
    }
    const timeout = options?.timeout;
    const badTimeout = timeout === undefined ? undefined : integerOptionError(timeout, 'timeout', { min: 1, max: WIRE_LIMITS.maxMillis });
    if (badTimeout !== undefined) return Promise.reject(badTimeout);
    const result = this.#results.result(jobId) as Promise<R>;
    if (timeout === undefined) return result;
    return withinTimeout(result, timeout, jobId, (error) => this.#results.gaveUp(jobId, result, error));
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

  #onMessages(messages: readonly unknown[], delivery: Delivery): void {
    this.#intake.read(messages, (message, index) => {
      if (!this.#epochs.admit(message.epoch)) {
        // An answer from a composer that had lost its lease: the one acting now may never have
        // been asked (the question was answered, so released, by the old one). Ask it again.
        if (message.type === 'lookup-reply') for (const id of this.#results.stillWaited(message.unknown)) this.#lookups.ask(id);
        return;
      }
      if (message.type === 'progress') this.#results.progress(message.updates);
      else if (message.type === 'lookup-reply') this.#results.unknown(message.unknown);
      else {
        // Results kept for a later result(id) hold their message in the network until handed out.
        const hold = new MessageHold(() => delivery.hold(index));
        for (const settlement of message.settlements) this.#results.settle(settlement, hold);
      }
    });
  }

  /**
   * Stops receiving. Results still pending reject with `ClosedError` (the jobs themselves still
   * run); results kept for `result(id)` and not asked for stay in the network, for the next process
   * with this consumer id. Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#lookups.close();
    await this.#receiver.close();
    const closed = (): ClosedError => new ClosedError('Consumer');
    this.#results.rejectAll(closed);
    this.#room.rejectAll(closed);
  }
}
