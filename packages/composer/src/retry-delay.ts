import { WIRE_LIMITS, type Backoff } from '@orchestra/core/internal';

/**
 * How long a job waits before its next run after `failures` failed runs (1 after the first):
 * `delay` each time for a fixed backoff, `delay × 2^(failures-1)` for an exponential one.
 */
export function retryDelay(backoff: Backoff | undefined, failures: number): number {
  if (backoff === undefined || backoff.delay === 0) return 0;
  if (backoff.type === 'fixed') return backoff.delay;
  return Math.min(WIRE_LIMITS.maxMillis, backoff.delay * 2 ** Math.max(0, failures - 1));
}
