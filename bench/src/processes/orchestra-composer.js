// The Composer, alone in its process, on RedisNetwork.
import { Composer } from '@orchestra/composer';
import { connectNetwork } from './orchestra-network.js';
import { waitUntil } from '@orchestra/network-conformance';
import { serve } from './serve.js';

const { url, namespace } = JSON.parse(process.argv[2]);

serve('composer', async () => {
  const network = await connectNetwork(url, namespace);
  const composer = new Composer(network);
  await waitUntil(() => composer.stats().acting, 'the composer to take the lease', 10_000);
  return {
    handlers: {
      /** Resolves once instruments with at least `count` threads have said hello. */
      async threads({ count }) {
        await waitUntil(() => composer.stats().threads >= count, `${count} instrument threads`, 10_000);
        return composer.stats();
      },
      stats: () => composer.stats(),
      async close() {
        await composer.close();
        await network.close();
      },
    },
  };
});
