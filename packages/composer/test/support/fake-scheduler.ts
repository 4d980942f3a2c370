import type { Scheduler } from '../../src/scheduler.js';

interface Timer {
  readonly at: number;
  readonly callback: () => void;
  cancelled: boolean;
}

/** A clock that moves only when told to, with the timers due by then run in order. */
export class FakeScheduler implements Scheduler {
  #now = 1_700_000_000_000;
  readonly #timers: Timer[] = [];

  now(): number {
    return this.#now;
  }

  schedule(callback: () => void, delayMs: number): () => void {
    const timer: Timer = { at: this.#now + delayMs, callback, cancelled: false };
    this.#timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  /** Timers scheduled and neither run nor cancelled. */
  get pending(): number {
    return this.#timers.filter((timer) => !timer.cancelled).length;
  }

  /** Moves the clock on by `ms`, running every timer that falls due, earliest first. */
  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      const due = this.#timers.filter((timer) => !timer.cancelled && timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (due === undefined) break;
      due.cancelled = true;
      this.#now = due.at;
      due.callback();
    }
    this.#now = until;
  }
}
