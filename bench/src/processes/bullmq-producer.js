// BullMQ's producer: a Queue to add jobs and QueueEvents to learn every result, in one process.
import { Queue, QueueEvents } from 'bullmq';
import { redisUrlOptions } from '../redis-url-options.js';
import { serve } from './serve.js';

const { url, queueName, eventsMaxLen } = JSON.parse(process.argv[2]);

serve('bullmq producer', async () => {
  const connection = redisUrlOptions(url);
  const queue = new Queue(queueName, {
    connection,
    // What BullMQ users set for throughput: finished jobs are not kept.
    defaultJobOptions: { removeOnComplete: true, removeOnFail: 1000 },
    // Every 'completed' event must still be in the events stream when QueueEvents reads it, even
    // with all jobs in flight (the default keeps about 10,000 events, a few per job).
    streams: { events: { maxLen: eventsMaxLen } },
  });
  // From the start of the stream, so no event is missed between connecting and the first read.
  const events = new QueueEvents(queueName, { connection, lastEventId: '0-0' });
  await queue.waitUntilReady();
  await events.waitUntilReady();

  // One run at a time: job id -> expected result; results that beat their addBulk reply wait in `early`.
  let run;
  events.on('completed', ({ jobId, returnvalue }) => {
    if (run === undefined) return;
    if (!run.expected.has(jobId)) {
      run.early.set(jobId, returnvalue);
      return;
    }
    run.settle(jobId, returnvalue);
  });
  events.on('failed', ({ jobId, failedReason }) => run?.fail(new Error(`job ${jobId} failed: ${failedReason}`)));

  return {
    handlers: {
      /**
       * Adds `jobs` tiny jobs with addBulk, `chunk` at a time (each awaited), then waits for a
       * 'completed' event for each of them and checks its value. Timed from the first add to the
       * last result.
       */
      async run({ jobs, chunk }) {
        let left = jobs;
        let finish;
        let fail;
        const done = new Promise((resolve, reject) => {
          finish = resolve;
          fail = reject;
        });
        run = {
          expected: new Map(),
          early: new Map(),
          fail,
          settle(jobId, value) {
            const want = run.expected.get(jobId);
            run.expected.delete(jobId);
            if (value !== want) fail(new Error(`wrong result for job ${jobId}: ${value}, expected ${want}`));
            left -= 1;
            if (left === 0) finish();
          },
        };
        const started = performance.now();
        for (let first = 0; first < jobs; first += chunk) {
          const count = Math.min(chunk, jobs - first);
          const bulk = [];
          for (let i = first; i < first + count; i++) bulk.push({ name: 'add', data: { a: i, b: 1 } });
          const added = await queue.addBulk(bulk);
          added.forEach((job, k) => {
            run.expected.set(job.id, first + k + 1);
            if (run.early.has(job.id)) {
              const value = run.early.get(job.id);
              run.early.delete(job.id);
              run.settle(job.id, value);
            }
          });
        }
        await done;
        const ms = performance.now() - started;
        run = undefined;
        return { ms };
      },
      async close() {
        await events.close();
        await queue.close();
      },
    },
  };
});
