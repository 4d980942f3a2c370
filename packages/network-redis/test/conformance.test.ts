import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { handlesPerCase, runNetworkConformance } from '@orchestra/network-conformance';
import { type RedisServer, startRedisServer } from '@orchestra/redis-server';
import { RedisNetwork } from '../src/index.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

// A namespace per case keeps cases apart on one server.
runNetworkConformance(
  { describe, it },
  'RedisNetwork',
  handlesPerCase((n) => new RedisNetwork(server.url, { namespace: `conformance-${process.pid}-${n}` })),
);
