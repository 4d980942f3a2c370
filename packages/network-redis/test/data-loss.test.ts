import { afterEach, describe, expect, it } from '@jest/globals';
import { MailboxCollector, waitUntil } from '@orchestra/network-conformance';
import { type RedisServer, startRedisServer } from '@orchestra/redis-server';
import { Redis } from 'ioredis';
import { RedisNetwork } from '../src/index.js';

const servers: RedisServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.stop()));
});

/** A server of this test's own (never REDIS_URL's), since the test restarts it. */
async function ownServer(args: string[] = []): Promise<RedisServer> {
  const server = await startRedisServer({ url: undefined, args });
  servers.push(server);
  return server;
}

function watchedNetwork(server: RedisServer): { network: RedisNetwork; errors: string[]; losses: () => number } {
  const errors: string[] = [];
  let losses = 0;
  const network = new RedisNetwork(server.url, {
    namespace: 'watched',
    logger: { warn: () => undefined, error: (message) => errors.push(message) },
    onDataLoss: () => {
      losses += 1;
    },
  });
  return { network, errors, losses: () => losses };
}

describe('RedisNetwork notices a Redis that came back without its data', () => {
  it('stays quiet across a reconnection, and reports loudly when Redis restarts empty', async () => {
    const server = await ownServer();
    const { network, errors, losses } = watchedNetwork(server);
    await network.connect();
    await waitUntil(() => network.stats().dataChecks === 1, 'the first data check');

    const admin = new Redis(server.url, { protocol: 2 });
    await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    await admin.quit();
    await waitUntil(() => network.stats().dataChecks === 2, 'the check after reconnecting', 10_000);
    expect(network.stats().dataLosses).toBe(0);

    await server.restart();
    await waitUntil(() => network.stats().dataLosses === 1, 'the loss was noticed', 15_000);
    expect(losses()).toBe(1);
    expect(errors.some((message) => message.includes('LOST data of network watched'))).toBe(true);
    await network.close();
  }, 30_000);

  it('keeps what it was sent, and stays quiet, when Redis restarts with AOF', async () => {
    const server = await ownServer(['--appendonly', 'yes', '--appendfsync', 'always']);
    const { network, losses } = watchedNetwork(server);
    await network.connect();
    await waitUntil(() => network.stats().dataChecks === 1, 'the first data check');
    await network.send('kept', [{ survives: 'restart' }]);

    await server.restart();
    await waitUntil(() => network.stats().dataChecks === 2, 'the check after the restart', 15_000);
    expect(network.stats().dataLosses).toBe(0);
    expect(losses()).toBe(0);
    const inbox = new MailboxCollector(network, 'kept');
    expect(await inbox.waitFor(1, 10_000)).toEqual([{ survives: 'restart' }]);
    await network.close();
  }, 30_000);

  it('reports a data marker deleted while connected, with no reconnection', async () => {
    const server = await ownServer();
    const { network, errors } = watchedNetwork(server);
    await network.connect();
    await waitUntil(() => network.stats().dataChecks === 1, 'the first data check');
    const admin = new Redis(server.url, { protocol: 2 });
    await admin.del('orchestra:{watched}:data-marker');
    await waitUntil(() => network.stats().dataLosses === 1, 'the loss was noticed', 10_000);
    expect(errors.some((message) => message.includes('the data marker'))).toBe(true);
    await admin.quit();
    await network.close();
  }, 30_000);

  it('reports a mailbox deleted while its reader held messages, and reads the mailbox again', async () => {
    const server = await ownServer();
    const { network, errors } = watchedNetwork(server);
    await network.connect();
    const seen: unknown[] = [];
    const receiver = network.receive('holding', (messages, delivery) => {
      messages.forEach((message, i) => {
        seen.push(message);
        delivery.hold(i);
      });
    });
    await network.send('holding', [{ n: 1 }]);
    await waitUntil(() => seen.length === 1, 'the message was read and held');
    const admin = new Redis(server.url, { protocol: 2 });
    await admin.del('orchestra:{watched}:mailbox:holding');
    await waitUntil(() => network.stats().dataLosses === 1, 'the loss was noticed', 10_000);
    expect(errors.some((message) => message.includes('mailbox holding'))).toBe(true);
    await network.send('holding', [{ n: 2 }]);
    await waitUntil(() => seen.length === 2, 'the mailbox is read again', 10_000);
    await receiver.close();
    await admin.quit();
    await network.close();
  }, 30_000);
});
