import type { Logger } from '@orchestra/core';
import type { SettleMessage } from '@orchestra/core/internal';

/** The final outcome of one job, as the composer sends it to the consumer. */
export type Outcome = SettleMessage['settlements'][number];

/** Results that arrived for jobs nobody asked about here yet, kept for `result(id)`: at most this many. */
export const MAX_KEPT_RESULTS = 100_000;

/**
 * Outcomes of jobs an earlier process with this consumer's id added (it ended before they settled),
 * kept until someone asks with `result(id)`. Bounded: past {@link MAX_KEPT_RESULTS}, the oldest go,
 * so results nobody will ever ask for cannot grow memory without end.
 */
export class KeptResults {
  readonly #logger: Logger;
  readonly #outcomes = new Map<string, Outcome>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Outcomes kept now. */
  get size(): number {
    return this.#outcomes.size;
  }

  keep(outcome: Outcome): void {
    this.#outcomes.set(outcome.id, outcome);
    if (this.#outcomes.size > MAX_KEPT_RESULTS) this.#forgetOldest();
  }

  /** The outcome kept for `id`, handed over once (it is no longer kept afterwards). */
  take(id: string): Outcome | undefined {
    const outcome = this.#outcomes.get(id);
    if (outcome !== undefined) this.#outcomes.delete(id);
    return outcome;
  }

  /** Drops the oldest tenth at once: deleting one first entry at a time would make V8 rescan every deleted slot. */
  #forgetOldest(): void {
    let count = Math.ceil(MAX_KEPT_RESULTS / 10);
    this.#logger.warn(`consumer: more than ${MAX_KEPT_RESULTS} results kept that nobody asked for; dropping the oldest ${count}`);
    for (const id of this.#outcomes.keys()) {
      this.#outcomes.delete(id);
      count -= 1;
      if (count === 0) return;
    }
  }
}
