import { ResultDeliveredError, UnknownJobError, type Logger } from '@orchestra/core';
import { deserializeError, type ConsumerProgressMessage, type JobIds } from '@orchestra/core/internal';
import { HandedOutIds } from './handed-out-ids.js';
import { KeptResults, type Outcome } from './kept-results.js';
import type { MessageHold } from './message-hold.js';

/** A result promise not settled yet, and how to settle it. */
interface Pending {
  readonly promise: Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  readonly onProgress: ((value: unknown) => void) | undefined;
  /** For a job of an earlier process: the `result(id)` calls still waiting for it (see {@link PendingResults.gaveUp}). */
  waiters: number;
}

const noop = (): void => undefined;

/**
 * The consumer's book of results: a promise per job not settled yet, settled once by the outcome
 * the composer sends. An outcome for one of this instance's own jobs that is no longer pending is a
 * duplicate (a job that ran twice settles once), dropped and counted; one for a job of an earlier
 * process with the same consumer id is kept until someone asks for it.
 *
 * Every `result(id)` settles: this instance's own ids are pending from `addJob` on, so one that is
 * not pending was handed out already; so was an id of an earlier process found among those handed
 * out here; any other id of an earlier process is kept, or on its way, or asked of the composer,
 * whose answer ({@link unknown}) says when it is none of these.
 */
export class PendingResults {
  readonly #ids: JobIds;
  readonly #logger: Logger;
  /** Called each time a pending result leaves the book, settled or forgotten: a slot under `maxPending` is free. */
  readonly #onFreed: () => void;
  readonly #pending = new Map<string, Pending>();
  readonly #kept: KeptResults;
  /** Ids of earlier processes' jobs whose result was handed out here. */
  readonly #handedOut = new HandedOutIds();
  /** Asks the composer whether it holds the job `id` of an earlier process (see {@link unknown}). */
  readonly #ask: (id: string) => void;
  #duplicates = 0;

  /**
   * `ids` made this instance's job ids: it tells a duplicate from a result of an earlier process.
   * `ask(id)` sends a lookup for the id of an earlier process that `result(id)` waits for.
   */
  constructor(ids: JobIds, logger: Logger, onFreed: () => void, ask: (id: string) => void) {
    this.#ids = ids;
    this.#logger = logger;
    this.#onFreed = onFreed;
    this.#kept = new KeptResults(logger);
    this.#ask = ask;
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
    this.#pending.set(id, { promise, resolve, reject, onProgress, waiters: 1 });
    return promise;
  }

  /** Drops a pending result that will never settle (its job was not sent), unsettled. */
  forget(id: string): void {
    if (this.#pending.delete(id)) this.#onFreed();
  }

  /**
   * The result of `id`: the one pending (the same promise for every caller); or a new one, settled
   * at once if its outcome was kept, else waiting for it while the composer is asked about it; or a
   * rejection with `ResultDeliveredError` when this consumer handed that result out already.
   */
  result(id: string): Promise<unknown> {
    const pending = this.#pending.get(id);
    if (pending !== undefined) {
      pending.waiters += 1;
      return pending.promise;
    }
    if (this.#ids.made(id)) {
      return Promise.reject(new ResultDeliveredError(id, "to addJob's result or an earlier result(id); or its addJob failed, and it was never sent"));
    }
    if (this.#handedOut.has(id)) return Promise.reject(new ResultDeliveredError(id, 'to an earlier result(id)'));
    const promise = this.add(id, undefined);
    const kept = this.#kept.take(id);
    if (kept === undefined) this.#ask(id);
    else {
      this.settle(kept.outcome, undefined);
      kept.release();
    }
    return promise;
  }

  /**
   * The composer's answer to a lookup: it holds no job of these ids. Its answer came after every
   * settlement it had sent here, so a result of an earlier process's job still waited for now will
   * never come: it rejects with `UnknownJobError`. (This instance's own jobs are never asked about.)
   */
  unknown(ids: readonly string[]): void {
    for (const id of ids) if (!this.#ids.made(id)) this.#drop(id, new UnknownJobError(id));
  }

  /** A lookup could not be sent: the results waiting for its answer reject with the send's error (they may be asked again). */
  lookupFailed(ids: readonly string[], error: unknown): void {
    for (const id of ids) if (!this.#ids.made(id)) this.#drop(id, error);
  }

  /**
   * A `result(id)` call that got `promise` stopped waiting (its timeout passed). Once nobody waits
   * for the result of an earlier process's job, it leaves the book (`promise` rejects with `error`,
   * unseen), so the result, when it comes, is kept for the next caller rather than handed to nobody.
   * This instance's own jobs stay: their result goes to `addJob`'s `result`.
   */
  gaveUp(id: string, promise: Promise<unknown>, error: unknown): void {
    const pending = this.#pending.get(id);
    if (pending?.promise !== promise || this.#ids.made(id)) return;
    pending.waiters -= 1;
    if (pending.waiters === 0) this.#drop(id, error);
  }

  /** Of `ids`, those of earlier processes whose result is still waited for. */
  stillWaited(ids: readonly string[]): string[] {
    return ids.filter((id) => !this.#ids.made(id) && this.#pending.has(id));
  }

  #drop(id: string, error: unknown): void {
    const pending = this.#pending.get(id);
    if (pending === undefined) return;
    this.#pending.delete(id);
    this.#onFreed();
    pending.reject(error);
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

  /**
   * Settles the job's result with its outcome; the result JSON is parsed here, where it is used.
   * An outcome nobody waits for yet is kept, with a share of `hold` (the hold on the message it came
   * in, when it came from the network), so the network keeps it until it is handed out.
   */
  settle(outcome: Outcome, hold: MessageHold | undefined): void {
    const pending = this.#pending.get(outcome.id);
    if (pending === undefined) {
      if (this.#ids.made(outcome.id) || this.#handedOut.has(outcome.id)) this.#duplicates += 1;
      else this.#kept.keep(outcome, hold === undefined ? noop : hold.share());
      return;
    }
    this.#pending.delete(outcome.id);
    this.#onFreed();
    if (!this.#ids.made(outcome.id)) this.#handedOut.add(outcome.id);
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
