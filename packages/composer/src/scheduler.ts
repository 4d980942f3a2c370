/**
 * The acting term's sense of time: the wall clock (lease and instrument silence are judged in
 * `Date.now()` terms, as the network's leases are) and one-shot timers. Injected so that the term's
 * decisions can be tested with a fake clock, without waiting.
 */
export interface Scheduler {
  /** Now, in ms since 1970. */
  now(): number;
  /** Calls `callback` once after `delayMs`; returns a function that cancels it. */
  schedule(callback: () => void, delayMs: number): () => void;
}

/** The real clock and timers. */
export const systemScheduler: Scheduler = {
  now: () => Date.now(),
  schedule(callback, delayMs) {
    const timer = setTimeout(callback, delayMs);
    return () => clearTimeout(timer);
  },
};
