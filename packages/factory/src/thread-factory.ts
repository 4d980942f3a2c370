import { EventEmitter } from 'node:events';
import { InvalidArgumentError, consoleLogger, type Logger } from '@orchestra/core';
import { integerOption } from '@orchestra/core/runtime';
import { getActiveJob } from '@orchestra/core/runtime';
import { callerFile } from './caller-file.js';
import { asError } from './as-error.js';
import type { FactoryOptions } from './options.js';
import { runItemsAsJobs, type ItemOutcomes } from './run-items-as-jobs.js';
import { checkSpec, type FactorySpec } from './spec.js';
import type { Completed, FactorySummary, FailedItem } from './summary.js';
import { registerWorker } from './worker-side.js';

/**
 * The thread-factory document's batch API on Orchestra: `manager` lists the items, `workerProcess`
 * runs on every thread for each item, and events say when each item completed and when everything
 * finished.
 *
 * ```js
 * const ThreadFactory = require('@orchestra/factory');
 * const factory = new ThreadFactory({ manager, workerProcess });
 * factory.on('completed', ({ item, result }) => …);
 * factory.on('error', (error, failed) => …); // failed: { index, item }, or undefined for the manager's own error
 * factory.on('finished', (summary) => …);
 * factory.start();
 * ```
 *
 * The file that builds the factory also holds the worker functions: every thread loads that same
 * file, where `new ThreadFactory(spec)` registers the worker functions instead, and `start()` and
 * `on()` do nothing.
 */
export class ThreadFactory<Item = unknown, Result = unknown> extends EventEmitter {
  /** True in the main program; false in a thread that loaded the file to run its items. */
  readonly isManager: boolean;
  readonly #spec: FactorySpec<Item, Result>;
  readonly #options: FactoryOptions;
  readonly #logger: Logger;
  readonly #file: string | undefined;
  #run: Promise<FactorySummary<Item>> | undefined;

  constructor(spec: FactorySpec<Item, Result>, options: FactoryOptions = {}) {
    super();
    const process = checkSpec(spec);
    this.#spec = spec;
    this.#options = options;
    this.#logger = options.logger ?? consoleLogger;
    const active = getActiveJob();
    this.isManager = active === undefined;
    if (active !== undefined) {
      registerWorker(active, spec, process);
      this.#file = undefined;
      return;
    }
    // Named with the class, like every error of the factory's: it reaches whoever wrote the spec.
    if (options.threads !== undefined) integerOption(options.threads, 'ThreadFactory: threads', { min: 1 });
    this.#file = options.file ?? callerFile(ThreadFactory);
    if (this.#file === undefined) throw new InvalidArgumentError('ThreadFactory: cannot tell which file holds the spec; pass options.file');
  }

  /** Listens for `completed` (once per finished item), `error` (an item or the manager failed) and `finished` (once, at the end). */
  override on(event: 'completed', listener: (done: Completed<Item, Result>) => void): this;
  override on(event: 'error', listener: (error: Error, failed: FailedItem<Item> | undefined) => void): this;
  override on(event: 'finished', listener: (summary: FactorySummary<Item>) => void): this;
  override on(event: string | symbol, listener: (...args: never[]) => void): this {
    // In a worker thread the file's listeners are never called: the thread only runs items.
    if (!this.isManager) return this;
    return super.on(event, listener as (...args: unknown[]) => void);
  }

  /**
   * Runs the batch: `manager()`, every item on the threads (each `completed` or `error` as it
   * settles), the threads' `workerFinish`, `managerFinish()`, then `finished`. Resolves with the
   * summary `finished` carries; never rejects (failures are in the summary and the `error` events).
   * In a worker thread it does nothing and resolves an empty summary. Calling it again returns the
   * same run.
   */
  start(): Promise<FactorySummary<Item>> {
    if (!this.isManager) return Promise.resolve({ items: 0, completed: 0, failed: 0, failures: [], elapsedMs: 0 });
    this.#run ??= this.#start();
    return this.#run;
  }

  async #start(): Promise<FactorySummary<Item>> {
    const started = performance.now();
    let items: readonly Item[] = [];
    let outcome: ItemOutcomes<Item> = { completed: 0, failed: 0, failures: [] };
    try {
      const listed: unknown = await this.#spec.manager();
      if (!Array.isArray(listed)) {
        throw new InvalidArgumentError(`ThreadFactory: manager must resolve an array of items, got ${listed === null ? 'null' : typeof listed}`);
      }
      items = listed as Item[];
    } catch (error) {
      this.#error(asError(error), undefined);
    }
    if (items.length > 0) {
      outcome = await runItemsAsJobs(this.#file as string, items, this.#options, this.#logger, {
        completed: (done) => this.emit('completed', done),
        failed: (error, failed) => this.#error(error, failed),
      });
    }
    try {
      await this.#spec.managerFinish?.();
    } catch (error) {
      this.#error(asError(error), undefined);
    }
    const summary: FactorySummary<Item> = { items: items.length, ...outcome, elapsedMs: performance.now() - started };
    this.emit('finished', summary);
    return summary;
  }

  /** Emits `error`, or logs it when nobody listens (an `error` event without listeners would throw). */
  #error(error: Error, failed: FailedItem<Item> | undefined): void {
    if (this.listenerCount('error') > 0) this.emit('error', error, failed);
    else this.#logger.error(`ThreadFactory: ${failed === undefined ? 'the manager failed' : `item ${failed.index} failed`}`, { error });
  }
}
