import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runNetworkConformance } from '@orchestra/network-conformance';
import { type RedisCluster, startRedisCluster } from '@orchestra/redis-server';
import { Cluster } from 'ioredis';
import { RedisNetwork } from '../src/index.js';

let cluster: RedisCluster;
beforeAll(async () => {
  cluster = await startRedisCluster(3);
}, 60_000);
afterAll(async () => {
  await cluster.stop();
});

let namespaces = 0;
const nextNamespace = (): string => `cluster-${process.pid}-${(namespaces += 1)}`;

// The same conformance suite, on a real three-node Redis Cluster.
runNetworkConformance({ describe, it }, 'RedisNetwork on a Redis Cluster', () => {
  const namespace = nextNamespace();
  const handles: RedisNetwork[] = [];
  return {
    open() {
      const network = new RedisNetwork({ cluster: cluster.nodes }, { namespace });
      handles.push(network);
      return network;
    },
    async destroy() {
      await Promise.all(handles.map((network) => network.close()));
    },
  };
});

describe('RedisNetwork on a Redis Cluster', () => {
  it('keeps a whole network in one slot, whatever the namespace', async () => {
    const admin = new Cluster([...cluster.nodes]);
    try {
      for (const namespace of ['a', 'b', 'reports', nextNamespace()]) {
        const network = new RedisNetwork({ cluster: cluster.nodes }, { namespace });
        await network.connect();
        await network.send('composer', [{ hello: 1 }]);
        await network.send(`instrument.${namespace}`, [{ hello: 2 }]);
        await network.acquireLease('composer', 'me', 10_000);
        await network.close();
        const slots = new Set<number>();
        for (const key of [`orchestra:{${namespace}}:mailbox:composer`, `orchestra:{${namespace}}:mailbox:instrument.${namespace}`, `orchestra:{${namespace}}:lease:composer`]) {
          expect(await admin.exists(key)).toBe(1);
          slots.add(Number(await admin.cluster('KEYSLOT', key)));
        }
        expect(slots.size).toBe(1);
      }
    } finally {
      await admin.quit();
    }
  });
});
