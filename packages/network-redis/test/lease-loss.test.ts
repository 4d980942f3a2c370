import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitUntil } from '@orchestra/network-conformance';
import { type RedisServer, startRedisServer } from '@orchestra/redis-server';
import { Redis } from 'ioredis';
import { RedisNetwork } from '../src/index.js';

let server: RedisServer;
let admin: Redis;
beforeAll(async () => {
  server = await startRedisServer({ url: undefined });
  admin = new Redis(server.url, { protocol: 2 });
});
afterAll(async () => {
  await admin.quit();
  await server.stop();
});

let namespaces = 0;
/** Two processes' worth of networks on one fresh namespace: a holder and a rival. */
function pair(): { a: RedisNetwork; b: RedisNetwork; key: (kind: string) => string; close: () => Promise<void> } {
  namespaces += 1;
  const namespace = `lease-loss-${namespaces}`;
  const a = new RedisNetwork(server.url, { namespace });
  const b = new RedisNetwork(server.url, { namespace });
  return { a, b, key: (kind) => `orchestra:{${namespace}}:${kind}:composer`, close: async () => void (await Promise.all([a.close(), b.close()])) };
}

describe('RedisNetwork leases when Redis forgets', () => {
  it('gives a lapsed lease back to its holder as resumed, with a larger epoch, when nobody took it', async () => {
    const { a, close } = pair();
    const first = await a.acquireLease('composer', 'a', 100);
    expect(first).toBeDefined();
    await waitUntil(() => Date.now() > first!.expiresAt + 50, 'the lease lapsed');
    const again = await a.acquireLease('composer', 'a', 100);
    expect(again?.resumed).toBe(true);
    expect(again!.epoch).toBeGreaterThan(first!.epoch);
    await close();
  });

  it('never lets a rival take a lease whose key was deleted under a live holder; the holder takes it back as resumed', async () => {
    const { a, b, key, close } = pair();
    const first = await a.acquireLease('composer', 'a', 2_000);
    expect(first).toBeDefined();
    await admin.del(key('lease'));
    // The rival polls as a standby would, for longer than the holder's renewal period.
    for (let i = 0; i < 10; i += 1) expect(await b.acquireLease('composer', 'b', 2_000)).toBeUndefined();
    const renewed = await a.acquireLease('composer', 'a', 2_000);
    expect(renewed?.resumed).toBe(true);
    expect(renewed!.epoch).toBeGreaterThan(first!.epoch);
    expect(await b.acquireLease('composer', 'b', 2_000)).toBeUndefined();
    await close();
  });

  it('keeps the epoch when the counter is deleted under the holder, and never hands out a smaller one', async () => {
    const { a, b, key, close } = pair();
    const first = await a.acquireLease('composer', 'a', 300);
    await admin.del(key('lease-epoch'));
    const renewed = await a.acquireLease('composer', 'a', 300);
    expect(renewed?.epoch).toBe(first!.epoch);
    expect(renewed?.resumed).toBeUndefined();
    // Everything forgotten at once (lease, counter, recorded end) looks like a new network: a rival
    // may take the lease, but with a larger epoch, which fences the old holder, who then steps down.
    await admin.del(key('lease'), key('lease-epoch'), key('lease-until'));
    const taken = await b.acquireLease('composer', 'b', 300);
    expect(taken!.epoch).toBeGreaterThan(first!.epoch);
    expect(await a.acquireLease('composer', 'a', 300)).toBeUndefined();
    await close();
  });

  it('takes over at once after a release, and after the holder lapsed', async () => {
    const { a, b, close } = pair();
    const first = await a.acquireLease('composer', 'a', 10_000);
    await a.releaseLease('composer', 'a');
    const taken = await b.acquireLease('composer', 'b', 200);
    expect(taken!.epoch).toBeGreaterThan(first!.epoch);
    await waitUntil(() => Date.now() > taken!.expiresAt + 50, "b's lease lapsed");
    const back = await a.acquireLease('composer', 'a', 200);
    expect(back!.epoch).toBeGreaterThan(taken!.epoch);
    expect(back!.resumed).toBeUndefined();
    await close();
  });
});
