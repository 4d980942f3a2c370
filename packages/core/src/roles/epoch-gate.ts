/**
 * The newest composer epoch a role has heard from. A composer that lost its lease may still have
 * sent something; its successor's word counts, so a message of an older epoch is refused.
 */
export class EpochGate {
  #epoch = 0;
  #stale = 0;

  /** The highest epoch admitted so far (0 before any). */
  get epoch(): number {
    return this.#epoch;
  }

  /** Messages refused so far as older than the epoch already heard from. */
  get stale(): number {
    return this.#stale;
  }

  /** True, and the epoch remembered, for a message of this epoch or a newer one; false (counted) for an older one. */
  admit(epoch: number): boolean {
    if (epoch < this.#epoch) {
      this.#stale += 1;
      return false;
    }
    this.#epoch = epoch;
    return true;
  }
}
