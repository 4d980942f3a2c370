import { BackpressureError } from '@orchestra/core';

/** One `addJob` call waiting for room: how to give it its slot, or refuse it. */
interface Sleeper {
  wake(): void;
  reject(error: unknown): void;
}

/**
 * Backpressure: at most `maxPending` results pending at once. An `addJob` call past it waits for
 * room, first come first served, or is refused. The slot is taken in the same synchronous step that
 * finds room (no await in between), so concurrent calls can never overshoot.
 */
export class Room {
  readonly #maxPending: number;
  /** How many results are pending now. */
  readonly #pending: () => number;
  /** `addJob` calls waiting for room, first come first served. */
  readonly #waiting: Sleeper[] = [];

  constructor(maxPending: number, pending: () => number) {
    this.#maxPending = maxPending;
    this.#pending = pending;
  }

  /** `addJob` calls waiting for room now. */
  get waiting(): number {
    return this.#waiting.length;
  }

  /**
   * Takes a slot by calling `take` (which adds the pending result): at once while there is room and
   * nobody waits before this call, else when room frees up, if `wait`. Without room and without
   * `wait`, throws `BackpressureError` and takes nothing.
   */
  admit<T>(wait: boolean, take: () => T): Promise<T> {
    if (this.#hasRoom() && this.#waiting.length === 0) return Promise.resolve(take());
    if (!wait) return Promise.reject(new BackpressureError(this.#maxPending));
    return new Promise<T>((resolve, reject) => {
      this.#waiting.push({ wake: () => resolve(take()), reject });
    });
  }

  /** A pending result left: gives the longest-waiting calls a slot each while there is room. */
  free(): void {
    while (this.#hasRoom()) {
      const next = this.#waiting.shift();
      if (next === undefined) return;
      next.wake();
    }
  }

  /** Refuses every waiting call, each with an error of its own. */
  rejectAll(error: () => unknown): void {
    for (const sleeper of this.#waiting.splice(0)) sleeper.reject(error());
  }

  #hasRoom(): boolean {
    return this.#pending() < this.#maxPending;
  }
}
