import { parentPort } from 'node:worker_threads';
import { encodeJson, type ActiveJob } from '@orchestra/core/runtime';
import type { ThreadEvent, ThreadJob } from './thread-protocol.js';

/** An {@link ActiveJob} and the promise its `resolve` / `reject` settle (first call wins). */
export interface PendingJob {
  readonly active: ActiveJob;
  readonly settled: Promise<unknown>;
}

/** Progress values posted per run (`id#attempt`) and not yet counted into its settlement. */
const posted = new Map<string, number>();

/**
 * How many progress values the run posted; forgets the count. The settlement carries it, because
 * progress goes on the thread's message port and the batch's result on Piscina's: the instrument
 * holds a settlement back until it has seen that many, so progress always arrives before the result.
 */
export function takeProgressCount(job: ThreadJob): number {
  const key = `${job.id}#${job.attempt}`;
  const count = posted.get(key) ?? 0;
  posted.delete(key);
  return count;
}

/** Sends a job's progress value to the instrument, encoded as JSON here in the thread. */
export function progressReporter(job: ThreadJob): (value: unknown) => void {
  const key = `${job.id}#${job.attempt}`;
  return (value) => {
    const text = encodeJson(value, 'A progress value');
    const event: ThreadEvent = { '~orchestra': 'progress', id: job.id, attempt: job.attempt, value: text ?? 'null' };
    parentPort?.postMessage(event);
    posted.set(key, (posted.get(key) ?? 0) + 1);
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
