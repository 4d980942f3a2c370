import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { handlesPerCase, runNetworkConformance } from '@orchestra/network-conformance';
import { type RedisServer, startRedisServer } from '@orchestra/redis-server';
import { MemNetwork, Network } from '../src/index.js';

// Each handle of the in-process network acts like a connection of its own: cases close one handle and
// carry on with another.
runNetworkConformance({ describe, it }, 'Network() (in-process)', () => {
  // A fresh in-process network for each case: made while none is open, it is the one `new Network()` joins.
  const backing = new MemNetwork();
  const handles: Network[] = [];
  return {
    open() {
      const network = new Network();
      handles.push(network);
      return network;
    },
    async destroy() {
      await Promise.all(handles.map((network) => network.close()));
      await backing.close();
    },
  };
});

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

runNetworkConformance(
  { describe, it },
  'Network(url) (Redis)',
  handlesPerCase((n) => new Network(server.url, { namespace: `orchestra-${process.pid}-${n}` })),
);
