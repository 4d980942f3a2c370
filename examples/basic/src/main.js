import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Workspace } from '@orchestra/core';
import { MemNetwork } from '@orchestra/network-mem';
import { Composer } from '@orchestra/composer';
import { Instrument } from '@orchestra/instrument';
import { Consumer } from '@orchestra/consumer';

const JOBS = 64;
const BELOW = 600_000;

const threads = availableParallelism();
const network = new MemNetwork();
const workspace = new Workspace(fileURLToPath(new URL('../workspace', import.meta.url)));
const composer = new Composer(network);
const instrument = new Instrument(network, workspace, threads);
const consumer = new Consumer(network, workspace);

try {
  // (a) The add job from the Orchestra document.
  const { job, result } = await consumer.addJob('add.js', { a: 1, b: 2 });
  console.log(`add.js: job ${job.id} -> ${await result}`);

  // (b) A CPU-heavy batch spread over every core.
  const started = performance.now();
  const added = await Promise.all(
    Array.from({ length: JOBS }, () => consumer.addJob('primes.js', { below: BELOW })),
  );
  const results = await Promise.all(added.map((a) => a.result));
  const elapsed = performance.now() - started;
  const total = results.reduce((sum, r) => sum + r.count, 0);
  const usedThreads = new Set(results.map((r) => r.threadId)).size;
  console.log(`primes.js: ${JOBS} jobs counting primes below ${BELOW}`);
  console.log(`  total: ${total} (${total / JOBS} each)`);
  console.log(`  elapsed: ${(elapsed / 1000).toFixed(2)} s`);
  console.log(`  threads that did work: ${usedThreads} of ${threads}`);
} finally {
  await consumer.close();
  await instrument.close();
  await composer.close();
  await network.close();
}
