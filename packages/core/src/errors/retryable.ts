import type { SerializedError } from './serialize.js';
import { byCode } from './serialize.js';

/** Orchestra's own failures that another run of the same job may not meet. */
const RETRYABLE_CODES = new Set(['ORCHESTRA_THREAD_CRASHED', 'ORCHESTRA_JOB_TIMEOUT']);

/**
 * Whether a failed run is worth another attempt: the job's own errors (whatever it threw), a
 * crashed thread and a timeout are; Orchestra's refusals (bad params, an unknown script, a result
 * too large, a cancellation) would only fail the same way again.
 */
export function isRetryable(error: SerializedError): boolean {
  if (error.code === undefined || !byCode.has(error.code)) return true;
  return RETRYABLE_CODES.has(error.code);
}
