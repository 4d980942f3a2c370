import type { BatchSizer } from './batch-sizer.js';

/**
 * How many more jobs the composer may send: credits granted, less jobs settled, is what the
 * composer may have sent or be about to send. Each report tops that up to what the sizer wants
 * held here; once closing, no more are given.
 */
export class CreditLedger {
  readonly #sizer: BatchSizer;
  #granted = 0;
  #settled = 0;
  #closed = false;

  constructor(sizer: BatchSizer) {
    this.#sizer = sizer;
  }

  /** Jobs settled since start. */
  get settled(): number {
    return this.#settled;
  }

  /** Counts one job settled: its credit may be given again. */
  settle(): void {
    this.#settled += 1;
  }

  /** Gives no more credits from now on. */
  close(): void {
    this.#closed = true;
  }

  /**
   * The total credits to announce in a `hello`, with `held` jobs here: the composer forgets what
   * it granted before, and so does the ledger.
   */
  restart(held: number): number {
    const credits = this.#closed ? 0 : Math.max(0, this.#sizer.creditTarget() - held);
    this.#granted = this.#settled + held + credits;
    return credits;
  }

  /** Credits to grant now, on top of those outstanding (0 when there are enough). */
  grant(): number {
    if (this.#closed) return 0;
    const credits = Math.max(0, this.#sizer.creditTarget() - (this.#granted - this.#settled));
    this.#granted += credits;
    return credits;
  }
}
