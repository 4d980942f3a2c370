// The Composer, alone in its process, on RedisNetwork.
import { Composer } from '@orchestra/composer';
import { connectNetwork } from './orchestra-network.js';
import { serve, until } from './serve.js';

const { url, namespace } = JSON.parse(process.argv[2]);

serve('composer', async () => {
  const network = await connectNetwork(url, namespace);
  const composer = new Composer(network);
  await until(() => composer.stats().acting, 'the composer to take the lease');
  return {
    handlers: {
      /** Resolves once instruments with at least `count` threads have said hello. */
      async threads({ count }) {
        await until(() => composer.stats().threads >= count, `${count} instrument threads`);
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
