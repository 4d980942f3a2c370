/** A monotonic clock in ms (performance.now() by default; tests pass their own). */
export type Clock = () => number;

/**
 * Events per second over a sliding window, kept in a few fixed buckets so recording costs O(1) and
 * memory stays constant however many events there are. The composer records settlements in it for
 * `jobsPerSecond`.
 */
export class RateMeter {
  readonly #bucketMs: number;
  readonly #counts: number[];
  /** The bucket number (time / bucketMs) each slot of #counts belongs to. */
  readonly #slots: number[];
  readonly #now: Clock;
  readonly #startedAt: number;

  /**
   * @param windowMs How far back the rate looks (default 5 s).
   * @param buckets How many slices the window is cut into; more is smoother (default 10).
   */
  constructor(windowMs = 5_000, buckets = 10, now: Clock = () => performance.now()) {
    this.#bucketMs = windowMs / buckets;
    this.#counts = new Array<number>(buckets).fill(0);
    this.#slots = new Array<number>(buckets).fill(-1);
    this.#now = now;
    this.#startedAt = now();
  }

  /** Records `count` events happening now. */
  record(count: number): void {
    const bucket = Math.floor(this.#now() / this.#bucketMs);
    const slot = bucket % this.#counts.length;
    if (this.#slots[slot] !== bucket) {
      this.#slots[slot] = bucket;
      this.#counts[slot] = 0;
    }
    this.#counts[slot] = (this.#counts[slot] ?? 0) + count;
  }

  /**
   * Events per second over the window. The span divided by runs from the start of the oldest bucket
   * still in the window (or from construction, if later) to now, and is at least one second, so the
   * first moments after a start do not report a burst as a huge rate.
   */
  perSecond(): number {
    const now = this.#now();
    const current = Math.floor(now / this.#bucketMs);
    const oldest = current - this.#counts.length + 1;
    let total = 0;
    for (let i = 0; i < this.#counts.length; i += 1) {
      const bucket = this.#slots[i] ?? -1;
      if (bucket >= oldest && bucket <= current) total += this.#counts[i] ?? 0;
    }
    const spanMs = Math.max(1_000, now - Math.max(oldest * this.#bucketMs, this.#startedAt));
    return (total * 1_000) / spanMs;
  }
}
