import assert from 'node:assert/strict';
import { isOrchestraError, type Release } from '@orchestra/core';
import { MailboxCollector } from './collector.js';
import { conformanceCase, numbered, type ConformanceCase } from './case.js';
import { waitUntil } from './wait.js';

const n = (message: unknown): number => (message as { n: number }).n;

/** Cases for holding messages past the handler call, and for mailboxes that expire. */
export const holdAndExpiryCases: readonly ConformanceCase[] = [
  conformanceCase('keeps a held message for the next receiver; acknowledges the rest', async (open) => {
    const first = await open();
    const seen: unknown[] = [];
    const receiver = first.receive('held', (messages, delivery) => {
      messages.forEach((message, i) => {
        if (n(message) === 1) delivery.hold(i);
      });
      seen.push(...messages);
    });
    for (let i = 0; i < 3; i += 1) await first.send('held', numbered(i, 1));
    await waitUntil(() => seen.length === 3, `3 messages were handled (got ${seen.length})`);
    await receiver.close();
    const second = await open();
    const inbox = new MailboxCollector(second, 'held');
    assert.deepEqual(await inbox.waitFor(1), numbered(1, 1));
    await inbox.receiver.close();
    await second.send('held', numbered(3, 1));
    const third = new MailboxCollector(await open(), 'held');
    assert.deepEqual(await third.waitFor(1), numbered(3, 1), 'the message held once was acknowledged by the receiver that did not hold it');
    await third.receiver.close();
  }),

  conformanceCase('forgets a held message once it is released, after the handler returned', async (open) => {
    const network = await open();
    const releases: Release[] = [];
    const receiver = network.receive('released', (messages, delivery) => {
      messages.forEach((_, i) => releases.push(delivery.hold(i)));
    });
    await network.send('released', numbered(0, 2));
    await waitUntil(() => releases.length === 2, 'both messages were held');
    for (const release of releases) {
      release();
      release(); // a second call does nothing
    }
    await receiver.close();
    const next = await open();
    await next.send('released', numbered(2, 1));
    const inbox = new MailboxCollector(next, 'released');
    assert.deepEqual(await inbox.waitFor(1), numbered(2, 1));
    await inbox.receiver.close();
  }),

  conformanceCase('voids the holds of a handler call that failed', async (open) => {
    const network = await open();
    let calls = 0;
    const seen: unknown[] = [];
    const receiver = network.receive(
      'void',
      (messages, delivery) => {
        calls += 1;
        if (calls === 1) {
          delivery.hold(0);
          throw new RangeError('not now');
        }
        seen.push(...messages);
      },
      { onError: () => undefined },
    );
    await network.send('void', numbered(0, 1));
    await waitUntil(() => seen.length === 1, 'the message came again after the failure');
    await receiver.close();
    const next = await open();
    await next.send('void', numbered(1, 1));
    const inbox = new MailboxCollector(next, 'void');
    assert.deepEqual(await inbox.waitFor(1), numbered(1, 1), 'the hold made by the failed call did not keep the message');
    await inbox.receiver.close();
  }),

  conformanceCase('drops a mailbox nothing was sent to within expireAfterMs; each send renews it', async (open) => {
    const network = await open();
    const start = Date.now();
    await network.send('fleeting', numbered(0, 1), { expireAfterMs: 300 });
    await network.send('lasting', numbered(0, 1));
    await network.send('renewed', numbered(0, 1), { expireAfterMs: 1_500 });
    // Past the first deadline (a bounded wait for a time, which is what expiry is about).
    await waitUntil(() => Date.now() > start + 400, 'the first mailbox expired');
    await network.send('fleeting', numbered(1, 1));
    const fleeting = new MailboxCollector(network, 'fleeting');
    const lasting = new MailboxCollector(network, 'lasting');
    assert.deepEqual(await fleeting.waitFor(1), numbered(1, 1));
    assert.deepEqual(await lasting.waitFor(1), numbered(0, 1));
    await waitUntil(() => Date.now() > start + 1_000, 'the renewed mailbox is well into its time');
    await network.send('renewed', numbered(1, 1), { expireAfterMs: 1_500 });
    await waitUntil(() => Date.now() > start + 1_600, 'the renewed mailbox outlived its first deadline');
    const renewed = new MailboxCollector(network, 'renewed');
    assert.deepEqual(await renewed.waitFor(2), numbered(0, 2));
    await Promise.all([fleeting.receiver.close(), lasting.receiver.close(), renewed.receiver.close()]);
    await assert.rejects(network.send('fleeting', [{}], { expireAfterMs: 0 }), (error) => isOrchestraError(error));
    await assert.rejects(network.send('fleeting', [{}], { expireAfterMs: 1.5 }), (error) => isOrchestraError(error));
  }),
];
