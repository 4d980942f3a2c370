import type { Logger } from '@orchestra/core';
import { deserializeError, type ConsumerProgressMessage, type JobIds } from '@orchestra/core/internal';
import { KeptResults, type Outcome } from './kept-results.js';

/** A result promise not settled yet, and how to settle it. */
interface Pending {
  readonly promise: Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onProgress: ((value: unknown) => void) | undefined;
}

const noop = (): void => undefined;

/**
 * The consumer's book of results: a promise per job not settled yet, settled once by the outcome
 * the composer sends. An outcome for one of this instance's own jobs that is no longer pending is a
 * duplicate (a job that ran twice settles once), dropped and counted; one for a job of an earlier
 * process with the same consumer id is kept until someone asks for it.
 */
export class PendingResults {
  readonly #ids: JobIds;
  readonly #logger: Logger;
  /** Called each time a pending result leaves the book, settled or forgotten: a slot under `maxPending` is free. */
  readonly #onFreed: () => void;
  readonly #pending = new Map<string, Pending>();
  readonly #kept: KeptResults;
  #duplicates = 0;

  /** `ids` made this instance's job ids: it tells a duplicate from a result of an earlier process. */
  constructor(ids: JobIds, logger: Logger, onFreed: () => void) {
    this.#ids = ids;
    this.#logger = logger;
    this.#onFreed = onFreed;
    this.#kept = new KeptResults(logger);
  }

  /** Results not settled yet. */
  get pending(): number {
    return this.#pending.size;
  }

  /** Outcomes kept for jobs nobody here has asked about. */
  get kept(): number {
    return this.#kept.size;
  }

  /** Outcomes dropped because their job had settled here already. */
  get duplicates(): number {
    return this.#duplicates;
  }

  /** A new pending result for `id`; it never counts as an unhandled rejection if nobody awaits it. */
  add(id: string, onProgress: ((value: unknown) => void) | undefined): Promise<unknown> {
    let resolve!: (value: unknown) => void;
    let reject!: (error: unknown) => void;
    const promise = new Promise<unknown>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    promise.catch(noop);
    this.#pending.set(id, { promise, resolve, reject, onProgress });
    return promise;
  }

  /** Drops a pending result that will never settle (its job was not sent), unsettled. */
  forget(id: string): void {
    if (this.#pending.delete(id)) this.#onFreed();
  }

  /** The result of `id`: the one pending, or a new one, settled at once if its outcome was kept. */
  result(id: string): Promise<unknown> {
    const pending = this.#pending.get(id);
    if (pending !== undefined) return pending.promise;
    const promise = this.add(id, undefined);
    const kept = this.#kept.take(id);
    if (kept !== undefined) this.settle(kept);
    return promise;
  }

  /** Hands each progress value to its job's `onProgress`; a callback that throws is logged, never thrown on. */
  progress(updates: ConsumerProgressMessage['updates']): void {
    for (const update of updates) {
      const onProgress = this.#pending.get(update.id)?.onProgress;
      if (onProgress === undefined) continue;
      try {
        onProgress(JSON.parse(update.value));
      } catch (error) {
        this.#logger.error('consumer: an onProgress callback threw', { error });
      }
    }
  }

  /** Settles the job's result with its outcome; the result JSON is parsed here, where it is used. */
  settle(outcome: Outcome): void {
    const pending = this.#pending.get(outcome.id);
    if (pending === undefined) {
      if (this.#ids.made(outcome.id)) this.#duplicates += 1;
      else this.#kept.keep(outcome);
      return;
    }
    this.#pending.delete(outcome.id);
    this.#onFreed();
    if (!outcome.ok) pending.reject(deserializeError(outcome.error));
    else if (outcome.result === undefined) pending.resolve(undefined);
    else {
      try {
        pending.resolve(JSON.parse(outcome.result));
      } catch (error) {
        pending.reject(error);
      }
    }
  }

  /** Rejects every pending result, each with an error of its own, and empties the book (freeing no slot: the consumer is closing). */
  rejectAll(error: () => unknown): void {
    for (const pending of this.#pending.values()) pending.reject(error());
    this.#pending.clear();
  }
}
