import { threadId, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { listenToInstrument, postToInstrument, untilConnected } from './instrument-channel.js';
import { abortJobs, runJob } from './run-job.js';
import { finishScripts } from './script-cache.js';
import type { BatchOutcome, BatchTask, ThreadConfig, ThreadSettlement } from './thread-protocol.js';

/**
 * The entry of every thread of an instrument's Piscina pool. Each task is a batch of jobs run one
 * after another: one message each way per batch instead of per job is what lets tiny jobs go
 * faster than one Piscina task each.
 */
const config = workerData as ThreadConfig;

// Only threads that got this far hand over their channel: the pool waits for their answers to `finish`.
listenToInstrument((message) => {
  if (message.type === 'abort') {
    abortJobs(message.jobs, message.error);
    return;
  }
  void finishScripts()
    .catch((error: unknown) => console.error('[orchestra] a finish() hook failed', error))
    .finally(() => postToInstrument({ '~orchestra': 'finished' }));
});

export default async function runBatch(task: BatchTask): Promise<BatchOutcome> {
  const connecting = untilConnected();
  if (connecting !== undefined) await connecting;
  const started = performance.now();
  const settlements: ThreadSettlement[] = [];
  for (const job of task.jobs) settlements.push(await runJob(job, config));
  return { settlements, elapsedMs: performance.now() - started, threadId };
}
