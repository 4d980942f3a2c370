import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { runNetworkConformance } from '@orchestra/network-conformance';
import { type RedisServer, startRedisServer } from '@orchestra/redis-server';
import { RedisNetwork } from '../src/index.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

let namespaces = 0;
runNetworkConformance({ describe, it }, 'RedisNetwork', () => {
  // A namespace per case keeps cases apart on one server.
  const namespace = `conformance-${process.pid}-${(namespaces += 1)}`;
  const handles: RedisNetwork[] = [];
  return {
    open() {
      const network = new RedisNetwork(server.url, { namespace });
      handles.push(network);
      return network;
    },
    async destroy() {
      await Promise.all(handles.map((network) => network.close()));
    },
  };
});
