/** A wait of some ms that {@link wake} can end early: a receiver's back-off, cut short when it closes. */
export class WakeablePause {
  #wake: (() => void) | undefined;

  /** Resolves after `ms`, or at the next {@link wake}. */
  wait(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
    });
  }

  /** Ends the wait under way, if any. */
  wake(): void {
    this.#wake?.();
  }
}
