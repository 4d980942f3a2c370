import type { Release } from '@orchestra/core';

/**
 * The network's hold on one received message, shared by the results in it that are kept for
 * `result(id)`: the message stays unacknowledged while any of them is still kept, so a consumer
 * that dies first leaves them in the network for the next process with its id. The first share
 * holds the message; giving back the last one releases it.
 */
export class MessageHold {
  readonly #hold: () => Release;
  #release: Release | undefined;
  #shares = 0;

  /** `hold` is `() => delivery.hold(index)`: called only while the receive handler runs, at the first share. */
  constructor(hold: () => Release) {
    this.#hold = hold;
  }

  /** Takes one share; the function returned gives it back (once: calling it again does nothing). */
  share(): Release {
    this.#release ??= this.#hold();
    this.#shares += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      this.#shares -= 1;
      if (this.#shares > 0) return;
      const release = this.#release;
      // A share taken afterwards (still in the same handler call) holds the message afresh.
      this.#release = undefined;
      release?.();
    };
  }
}
