import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Consumer } from '@orchestra/consumer';
import { Instrument } from '@orchestra/instrument';
import { MailboxCollector, waitUntil } from '@orchestra/network-conformance';
import { RedisNetwork } from '@orchestra/network-redis';
import { startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { fixtureWorkspace } from './support/orchestra.js';
import { quietLogger } from './support/redis-machine.js';
import { uniqueNamespace } from './support/redis-roles.js';

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server.stop();
});

describe('epochs: what a composer that lost its lease still sends is refused', () => {
  it('an instrument refuses assignments and cancellations of an older epoch once it heard a newer one', async () => {
    const network = new RedisNetwork(server.url, { namespace: uniqueNamespace('epoch-instrument'), logger: quietLogger });
    const composerInbox = new MailboxCollector(network, 'composer');
    const instrument = new Instrument(network, fixtureWorkspace(), 1, { id: 'fenced', logger: quietLogger });
    const job = (id: string) => ({ id, script: 'add-handler.cjs', params: JSON.stringify({ a: 1, b: 2 }), attempt: 1 });
    await network.send('instrument.fenced', [{ v: 1, type: 'assign', epoch: 5, jobs: [job('new')] }]);
    await network.send('instrument.fenced', [{ v: 1, type: 'assign', epoch: 4, jobs: [job('old')] }]);
    await network.send('instrument.fenced', [{ v: 1, type: 'cancel', epoch: 4, ids: ['new'] }]);
    await waitUntil(() => instrument.stats().staleMessages === 2, 'both stale messages were refused');
    type Done = { type: string; settlements?: { id: string; ok: boolean }[] };
    const settled = () => (composerInbox.messages as Done[]).flatMap((m) => (m.type === 'done' ? (m.settlements ?? []) : []));
    await waitUntil(() => settled().length === 1, 'the job of the newer epoch ran');
    expect(settled()).toEqual([expect.objectContaining({ id: 'new', ok: true })]);
    await instrument.close();
    await composerInbox.receiver.close();
    await network.close();
  });

  it('a consumer refuses settlements of an older epoch once it heard a newer one', async () => {
    const network = new RedisNetwork(server.url, { namespace: uniqueNamespace('epoch-consumer'), logger: quietLogger });
    const consumer = new Consumer(network, fixtureWorkspace(), { id: 'fenced-app', logger: quietLogger });
    const first = consumer.result<number>('job-a');
    const second = consumer.result<number>('job-b');
    await network.send('consumer.fenced-app', [{ v: 1, type: 'settle', epoch: 7, settlements: [{ id: 'job-a', ok: true, result: '1' }] }]);
    await expect(first).resolves.toBe(1);
    await network.send('consumer.fenced-app', [{ v: 1, type: 'settle', epoch: 6, settlements: [{ id: 'job-b', ok: true, result: '666' }] }]);
    await network.send('consumer.fenced-app', [{ v: 1, type: 'settle', epoch: 7, settlements: [{ id: 'job-b', ok: true, result: '2' }] }]);
    await expect(second).resolves.toBe(2);
    expect(consumer.stats()).toMatchObject({ staleMessages: 1, pending: 0 });
    await consumer.close();
    await network.close();
  });
});
