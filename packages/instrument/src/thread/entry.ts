import { BroadcastChannel, parentPort, threadId, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { takeProgressCount } from './active-job-factory.js';
import { abortJobs, runJob } from './run-job.js';
import { finishScripts } from './script-cache.js';
import type { BatchOutcome, BatchTask, ControlMessage, ThreadConfig, ThreadEvent } from './thread-protocol.js';

/**
 * The entry of every thread of an instrument's Piscina pool. Each task is a batch of jobs run one
 * after another: one message each way per batch instead of per job is what lets tiny jobs go
 * faster than one Piscina task each.
 */
const config = workerData as ThreadConfig;

const control = new BroadcastChannel(config.controlChannel);
// The channel must not keep a finished thread alive; Piscina decides when threads end.
control.unref();
control.onmessage = (event) => {
  const message = (event as { data: ControlMessage }).data;
  if (message.type === 'abort') {
    abortJobs(message.jobs, message.error);
    return;
  }
  void finishScripts()
    .catch((error: unknown) => console.error('[orchestra] a finish() hook failed', error))
    .finally(() => {
      const done: ThreadEvent = { '~orchestra': 'finished', threadId };
      parentPort?.postMessage(done);
    });
};
// Only threads that got this far listen on the control channel: the pool waits for their answers.
const ready: ThreadEvent = { '~orchestra': 'ready', threadId };
parentPort?.postMessage(ready);

export default async function runBatch(task: BatchTask): Promise<BatchOutcome> {
  const started = performance.now();
  const settlements = [];
  for (const job of task.jobs) {
    const settlement = await runJob(job, config);
    const progress = takeProgressCount(job);
    if (progress > 0) settlement.progress = progress;
    settlements.push(settlement);
  }
  return { settlements, elapsedMs: performance.now() - started };
}
