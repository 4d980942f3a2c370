// An Instrument with its thread pool, alone in its process, on RedisNetwork.
import { fileURLToPath } from 'node:url';
import { Workspace } from '@orchestra/core';
import { Instrument } from '@orchestra/instrument';
import { connectNetwork } from './orchestra-network.js';
import { serve } from './serve.js';

const { url, namespace, threads } = JSON.parse(process.argv[2]);

serve('instrument', async () => {
  const network = await connectNetwork(url, namespace);
  const workspace = new Workspace(fileURLToPath(new URL('../../workspace', import.meta.url)));
  const instrument = new Instrument(network, workspace, threads);
  return {
    info: { id: instrument.id },
    handlers: {
      stats: () => instrument.stats(),
      async close() {
        await instrument.close();
        await network.close();
      },
    },
  };
});
