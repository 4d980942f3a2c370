import type { Logger, Release } from '@orchestra/core';
import type { SettleMessage } from '@orchestra/core/internal';

/** The final outcome of one job, as the composer sends it to the consumer. */
export type Outcome = SettleMessage['settlements'][number];

/** Results that arrived for jobs nobody asked about here yet, kept for `result(id)`: at most this many. */
export const MAX_KEPT_RESULTS = 100_000;

/** A kept outcome, and how to give back its share of the hold on the message it came in. */
interface Kept {
  readonly outcome: Outcome;
  readonly release: Release;
}

/**
 * Outcomes of jobs an earlier process with this consumer's id added (it ended before they settled),
 * kept until someone asks with `result(id)`. Each stays held in the network (its message is not
 * acknowledged) until it is handed out or dropped, so a process that dies before anyone asked
 * leaves it for the next one. Bounded: past {@link MAX_KEPT_RESULTS}, the oldest go (and are
 * released), so results nobody will ever ask for cannot grow memory without end.
 */
export class KeptResults {
  readonly #logger: Logger;
  readonly #outcomes = new Map<string, Kept>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Outcomes kept now. */
  get size(): number {
    return this.#outcomes.size;
  }

  /** Keeps an outcome; `release` gives back its hold in the network once it is handed out or dropped. */
  keep(outcome: Outcome, release: Release): void {
    // A job that ran twice (a composer took over) may settle twice: the newest outcome is kept, once.
    this.#outcomes.get(outcome.id)?.release();
    this.#outcomes.set(outcome.id, { outcome, release });
    if (this.#outcomes.size > MAX_KEPT_RESULTS) this.#forgetOldest();
  }

  /**
   * The outcome kept for `id` and the release of its hold, handed over once (it is no longer kept
   * afterwards). The caller releases once it has settled a promise with it.
   */
  take(id: string): Kept | undefined {
    const kept = this.#outcomes.get(id);
    if (kept !== undefined) this.#outcomes.delete(id);
    return kept;
  }

  /** Drops the oldest tenth at once: deleting one first entry at a time would make V8 rescan every deleted slot. */
  #forgetOldest(): void {
    let count = Math.ceil(MAX_KEPT_RESULTS / 10);
    this.#logger.warn(`consumer: more than ${MAX_KEPT_RESULTS} results kept that nobody asked for; dropping the oldest ${count}, here and in the network`);
    for (const [id, kept] of this.#outcomes) {
      this.#outcomes.delete(id);
      kept.release();
      count -= 1;
      if (count === 0) return;
    }
  }
}
