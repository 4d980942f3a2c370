/** Ids of results handed out from the kept ones that a consumer remembers: at most this many, the newest. */
export const MAX_HANDED_OUT_IDS = 100_000;

/**
 * The ids of jobs of earlier processes whose result this consumer handed to a `result(id)`, so that
 * asking again rejects at once instead of waiting for a result that will never come again.
 * Bounded, like the kept results: past {@link MAX_HANDED_OUT_IDS} the oldest tenth is forgotten (an
 * id forgotten here is asked of the composer instead, which answers that it does not know it).
 */
export class HandedOutIds {
  readonly #ids = new Set<string>();

  get size(): number {
    return this.#ids.size;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  add(id: string): void {
    this.#ids.add(id);
    if (this.#ids.size > MAX_HANDED_OUT_IDS) this.#forgetOldest();
  }

  /** Drops the oldest tenth at once: deleting one first entry at a time would make V8 rescan every deleted slot. */
  #forgetOldest(): void {
    let count = Math.ceil(MAX_HANDED_OUT_IDS / 10);
    for (const id of this.#ids) {
      this.#ids.delete(id);
      count -= 1;
      if (count === 0) return;
    }
  }
}
