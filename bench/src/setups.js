// The set-ups the Redis part compares. Each starts its processes (on `children`, in start order)
// and returns the process that runs a measurement: `run({ jobs, chunk })` -> `{ ms }`.
import { Child } from './children.js';

/** Orchestra: composer, instrument (`threads` threads) and consumer, each in its own process. */
export function orchestraSetup({ url, namespace, threads }) {
  const config = JSON.stringify({ url, namespace, threads });
  return {
    name: 'orchestra',
    label: `orchestra (3 processes, ${threads} threads)`,
    title: `Orchestra over Redis (composer, instrument with ${threads} threads, consumer: 3 processes)`,
    keys: [`orchestra:{${namespace}}:*`],
    async start(children) {
      const composer = new Child('orchestra', 'composer', 'orchestra-composer.js', [config]);
      children.push(composer);
      await composer.ready();
      const instrument = new Child('orchestra', 'instrument', 'orchestra-instrument.js', [config]);
      children.push(instrument);
      await instrument.ready();
      // The composer has heard the instrument's hello: jobs will flow as soon as they are added.
      await composer.request('threads', { count: threads }, 30_000);
      const consumer = new Child('orchestra', 'consumer', 'orchestra-consumer.js', [config]);
      children.push(consumer);
      await consumer.ready();
      return consumer;
    },
  };
}

/**
 * BullMQ: a producer process (Queue + QueueEvents) and a worker process. `inline`: the processor
 * is a function in the worker's process, `concurrency` jobs at a time. `sandboxed`: the processor
 * is a file run on worker threads (`useWorkerThreads`), one thread per concurrent job.
 */
export function bullmqSetup({ url, queueName, mode, concurrency, eventsMaxLen }) {
  const producerConfig = JSON.stringify({ url, queueName, eventsMaxLen });
  const workerConfig = JSON.stringify({ url, queueName, mode, concurrency });
  const title =
    mode === 'inline'
      ? `BullMQ, inline processor, concurrency ${concurrency} (producer + worker: 2 processes)`
      : `BullMQ, sandboxed processor on ${concurrency} worker threads (producer + worker: 2 processes)`;
  return {
    name: `bullmq ${mode}`,
    label: mode === 'inline' ? `bullmq inline (concurrency ${concurrency})` : `bullmq sandboxed (${concurrency} threads)`,
    title,
    keys: [`bull:${queueName}:*`],
    async start(children) {
      const producer = new Child(`bullmq ${mode}`, 'producer', 'bullmq-producer.js', [producerConfig]);
      children.push(producer);
      await producer.ready();
      const worker = new Child(`bullmq ${mode}`, 'worker', 'bullmq-worker.js', [workerConfig]);
      children.push(worker);
      await worker.ready();
      return producer;
    },
  };
}
