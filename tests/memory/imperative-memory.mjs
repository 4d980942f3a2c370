// Runs 100,000 imperative-style jobs (the document's Worker style) through one instrument and prints
// heap and RSS after a warm-up and at the end: the figures for "memory stays flat".
// Usage: node --expose-gc tests/memory/imperative-memory.mjs [add.js|add.mjs] [jobs]
import { Composer } from '@orchestra/composer';
import { Consumer } from '@orchestra/consumer';
import { Workspace } from '@orchestra/core';
import { Instrument } from '@orchestra/instrument';
import { MemNetwork } from '@orchestra/network-mem';

const script = process.argv[2] ?? 'add.js';
const total = Number(process.argv[3] ?? 100_000);
const network = new MemNetwork();
const workspace = new Workspace(new URL('../fixtures/workspace', import.meta.url).pathname);
const composer = new Composer(network);
const instrument = new Instrument(network, workspace, 2);
const consumer = new Consumer(network, workspace);

async function run(count) {
  for (let done = 0; done < count; done += 10_000) {
    const added = await Promise.all(Array.from({ length: 10_000 }, (_, i) => consumer.addJob(script, { a: i, b: 1 })));
    const results = await Promise.all(added.map((a) => a.result));
    if (!results.every((r, i) => r === i + 1)) throw new Error('wrong result');
  }
}
const mb = (n) => `${(n / 1048576).toFixed(1)} MiB`;
function snapshot(label) {
  globalThis.gc?.();
  const { heapUsed, rss } = process.memoryUsage();
  console.log(`${label}: heapUsed ${mb(heapUsed)}, rss ${mb(rss)}`);
  return { heapUsed, rss };
}

await run(10_000);
const before = snapshot(`${script} after 10,000 warm-up jobs`);
await run(total);
const after = snapshot(`${script} after ${total.toLocaleString('en')} more jobs`);
console.log(`growth: heap ${mb(after.heapUsed - before.heapUsed)}, rss ${mb(after.rss - before.rss)}`);
await consumer.close();
await instrument.close();
await composer.close();
await network.close();
