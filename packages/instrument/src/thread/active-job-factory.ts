import { encodeJson, type ActiveJob } from '@orchestra/core/runtime';
import { postToInstrument } from './instrument-channel.js';
import type { ThreadJob } from './thread-protocol.js';

/** An {@link ActiveJob} and the promise its `resolve` / `reject` settle (first call wins). */
export interface PendingJob {
  readonly active: ActiveJob;
  readonly settled: Promise<unknown>;
}

/**
 * Sends a job's progress value to the instrument, encoded as JSON here in the thread. It goes on
 * the thread's channel, ahead of anything the run posts later and of the batch's result.
 */
export function progressReporter(job: ThreadJob): (value: unknown) => void {
  return (value) => {
    const text = encodeJson(value, 'A progress value', 'progress');
    postToInstrument({ '~orchestra': 'progress', id: job.id, attempt: job.attempt, value: text ?? 'null' });
  };
}

/** Builds the per-job object that both script styles settle: `Worker` through the global slot, handlers through `ctx`. */
export function createPendingJob(job: ThreadJob, params: unknown, signal: AbortSignal): PendingJob {
  let resolve!: (value: unknown) => void;
  let reject!: (error: unknown) => void;
  const settled = new Promise<unknown>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  let done = false;
  const active: ActiveJob = {
    id: job.id,
    attempt: job.attempt,
    params,
    signal,
    claimed: false,
    resolve: (value) => {
      if (done) return;
      done = true;
      resolve(value);
    },
    reject: (error) => {
      if (done) return;
      done = true;
      reject(error);
    },
    progress: progressReporter(job),
  };
  return { active, settled };
}
