// A Consumer, alone in its process, on RedisNetwork: adds the jobs and awaits every result.
import { fileURLToPath } from 'node:url';
import { Workspace } from '@orchestra/core';
import { Consumer } from '@orchestra/consumer';
import { connectNetwork } from './orchestra-network.js';
import { serve } from './serve.js';

const { url, namespace } = JSON.parse(process.argv[2]);

serve('consumer', async () => {
  const network = await connectNetwork(url, namespace);
  const workspace = new Workspace(fileURLToPath(new URL('../../workspace', import.meta.url)));
  const consumer = new Consumer(network, workspace);
  return {
    handlers: {
      /**
       * Adds `jobs` tiny jobs as a user would: `chunk` addJob calls at a time, each chunk awaited
       * (the network holds those jobs), collecting the result promises; then awaits every result
       * and checks it. Timed from the first addJob to the last result.
       */
      async run({ jobs, chunk }) {
        const results = new Array(jobs);
        const started = performance.now();
        for (let first = 0; first < jobs; first += chunk) {
          const count = Math.min(chunk, jobs - first);
          const adding = [];
          for (let i = first; i < first + count; i++) adding.push(consumer.addJob('add.js', { a: i, b: 1 }));
          const added = await Promise.all(adding);
          for (let k = 0; k < count; k++) results[first + k] = added[k].result;
        }
        const values = await Promise.all(results);
        const ms = performance.now() - started;
        values.forEach((value, i) => {
          if (value !== i + 1) throw new Error(`wrong result for job ${i}: ${value}`);
        });
        return { ms };
      },
      async close() {
        await consumer.close();
        await network.close();
      },
    },
  };
});
