// BullMQ's Worker, alone in its process: an inline processor, or a sandboxed one on worker threads.
import { fileURLToPath } from 'node:url';
import { Worker } from 'bullmq';
import { redisUrlOptions } from '../redis-url-options.js';
import { serve } from './serve.js';

const { url, queueName, mode, concurrency } = JSON.parse(process.argv[2]);

serve(`bullmq worker (${mode})`, async () => {
  const processor =
    mode === 'sandboxed'
      ? fileURLToPath(new URL('../../bullmq/add-processor.cjs', import.meta.url))
      : async (job) => job.data.a + job.data.b;
  const worker = new Worker(queueName, processor, {
    // BullMQ's blocking connections must retry forever.
    connection: { ...redisUrlOptions(url), maxRetriesPerRequest: null },
    concurrency,
    // With a file processor: one worker thread per concurrent job, so `concurrency` threads.
    useWorkerThreads: mode === 'sandboxed',
  });
  worker.on('error', (error) => console.error(`bullmq worker: ${error.message}`));
  await worker.waitUntilReady();
  return {
    handlers: {
      async close() {
        await worker.close();
      },
    },
  };
});
