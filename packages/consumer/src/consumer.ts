import {
  ClosedError,
  InvalidArgumentError,
  PayloadTooLargeError,
  type AnyWorkspace,
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
  checkNetwork,
  encodeJson,
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
import type { ConsumerOptions, ConsumerStats } from './consumer-options.js';
import { consumerSettings } from './consumer-settings.js';
import { checkJobOptions } from './job-options.js';
import { PendingResults } from './pending-results.js';
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
    this.#results = new PendingResults(this.#ids, settings.logger, () => this.#room.free());
    this.#room = new Room(settings.maxPending, () => this.#results.pending);
    this.#submits = new SubmitBatcher(network, this.id, settings.resultTtlMs);
    this.#intake = new Intake('consumer', isConsumerMessage, settings.logger);
    this.#receiver = network.receive(mailboxes.consumer(this.id), (messages) => this.#onMessages(messages));
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
    const text = encodeJson(params, `The params of ${name}`);
    if (text === undefined) return undefined;
    const size = sizeOverLimit(text, this.#maxParamsBytes);
    if (size !== undefined) throw new PayloadTooLargeError(`The params of ${name}`, size, this.#maxParamsBytes);
    return text;
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
    return this.#results.result(jobId) as Promise<R>;
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

  #onMessages(messages: readonly unknown[]): void {
    this.#intake.read(messages, (message) => {
      if (!this.#epochs.admit(message.epoch)) return;
      if (message.type === 'progress') this.#results.progress(message.updates);
      else for (const settlement of message.settlements) this.#results.settle(settlement);
    });
  }

  /**
   * Stops receiving. Results still pending reject with `ClosedError` (the jobs themselves still
   * run). Idempotent.
   */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.#receiver.close();
    const closed = (): ClosedError => new ClosedError('Consumer');
    this.#results.rejectAll(closed);
    this.#room.rejectAll(closed);
  }
}
