import assert from 'node:assert/strict';
import { isOrchestraError, type MailboxReceiver } from '@orchestra/core';
import { conformanceCase, numbered, type ConformanceCase } from './case.js';
import { MailboxCollector } from './collector.js';
import { holdAndExpiryCases } from './hold-cases.js';
import { leaseCases } from './lease-cases.js';
import { waitUntil } from './wait.js';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/** Every case, in the order they are registered. Adapter authors may also run them one by one. */
export const networkConformanceCases: readonly ConformanceCase[] = [
  conformanceCase('delivers every message once, in send order', async (open) => {
    const network = await open();
    const inbox = new MailboxCollector(network, 'box');
    await network.send('box', numbered(0, 3));
    await network.send('box', numbered(3, 1));
    await network.send('box', numbered(4, 2));
    assert.deepEqual(await inbox.waitFor(6), numbered(0, 6));
    await inbox.receiver.close();
  }),

  conformanceCase('keeps messages sent before anyone receives', async (open) => {
    const network = await open();
    await network.send('early', [{ hello: 'world' }]);
    const inbox = new MailboxCollector(network, 'early');
    assert.deepEqual(await inbox.waitFor(1), [{ hello: 'world' }]);
    await inbox.receiver.close();
  }),

  conformanceCase('carries JSON values unchanged, large ones included', async (open) => {
    const network = await open();
    const big = 'x'.repeat(1024 * 1024);
    const message = { text: 'héllo ☃ \u0000 "quoted" \\ back', nested: { list: [1, 2.5, -3, null, true, { deep: ['a'] }] }, big };
    const inbox = new MailboxCollector(network, 'values');
    await network.send('values', [message, {}]);
    assert.deepEqual(await inbox.waitFor(2), [message, {}]);
    await inbox.receiver.close();
  }),

  conformanceCase('keeps mailboxes apart', async (open) => {
    const network = await open();
    const a = new MailboxCollector(network, 'a');
    const b = new MailboxCollector(network, 'b');
    await network.send('a', [{ to: 'a' }]);
    await network.send('b', [{ to: 'b' }]);
    assert.deepEqual(await a.waitFor(1), [{ to: 'a' }]);
    assert.deepEqual(await b.waitFor(1), [{ to: 'b' }]);
    await network.send('a', [{ to: 'a', again: true }]);
    await a.waitFor(2);
    assert.deepEqual(b.messages, [{ to: 'b' }]);
    await Promise.all([a.receiver.close(), b.receiver.close()]);
  }),

  conformanceCase('never hands a handler more than maxBatch messages', async (open) => {
    const network = await open();
    for (let i = 0; i < 10; i += 1) await network.send('batched', numbered(i, 1));
    const inbox = new MailboxCollector(network, 'batched', { maxBatch: 3 });
    assert.deepEqual(await inbox.waitFor(10), numbered(0, 10));
    for (const batch of inbox.batches) assert.ok(batch.length >= 1 && batch.length <= 3, `a batch of ${batch.length} messages`);
    await inbox.receiver.close();
  }),

  conformanceCase('never calls a handler again before the previous call settled', async (open) => {
    const network = await open();
    let inFlight = 0;
    let most = 0;
    let seen = 0;
    const receiver = network.receive('serial', async (messages) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 2));
      seen += messages.length;
      inFlight -= 1;
    });
    for (let i = 0; i < 20; i += 1) await network.send('serial', numbered(i, 1));
    await waitUntil(() => seen === 20, `20 messages were handled (got ${seen})`);
    assert.equal(most, 1);
    await receiver.close();
  }),

  conformanceCase('delivers again what a handler rejected, before newer messages', async (open) => {
    const network = await open();
    const seen: unknown[] = [];
    let failures = 0;
    const errors: unknown[] = [];
    const receiver = network.receive(
      'retry',
      (messages) => {
        if (failures < 2 && messages.some((m) => (m as { n: number }).n === 0)) {
          failures += 1;
          return Promise.reject(new RangeError('not now'));
        }
        seen.push(...messages);
        return Promise.resolve();
      },
      { onError: (error) => errors.push(error) },
    );
    await network.send('retry', numbered(0, 2));
    await waitUntil(() => failures >= 1, 'the first delivery was refused');
    await network.send('retry', numbered(2, 2));
    await waitUntil(() => seen.length >= 4, `4 messages were acknowledged (got ${seen.length})`);
    assert.deepEqual(seen, numbered(0, 4));
    assert.equal(failures, 2);
    assert.ok(errors.length >= 2 && errors.every((e) => e instanceof RangeError), 'onError got each rejection');
    await receiver.close();
  }),

  conformanceCase('delivers again what a handler threw on synchronously', async (open) => {
    const network = await open();
    const seen: unknown[] = [];
    let threw = false;
    const receiver = network.receive(
      'throws',
      (messages) => {
        if (!threw) {
          threw = true;
          throw new TypeError('bad moment');
        }
        seen.push(...messages);
      },
      { onError: () => undefined },
    );
    await network.send('throws', numbered(0, 1));
    await waitUntil(() => seen.length === 1, 'the message came back after the throw');
    assert.deepEqual(seen, numbered(0, 1));
    await receiver.close();
  }),

  conformanceCase('gives the next receiver what a closed one left unacknowledged, first', async (open) => {
    const first = await open();
    let receiver: MailboxReceiver | undefined;
    const closed = deferred();
    receiver = first.receive(
      'handover',
      () => Promise.reject(new RangeError('receiver going away')),
      {
        onError: () => {
          // Close from inside the failure path, so this receiver never gets the batch again.
          if (receiver === undefined) return;
          const closing = receiver.close();
          receiver = undefined;
          void closing.then(closed.resolve);
        },
      },
    );
    await first.send('handover', numbered(0, 2));
    await closed.promise;
    const second = await open();
    await second.send('handover', numbered(2, 1));
    const inbox = new MailboxCollector(second, 'handover');
    assert.deepEqual(await inbox.waitFor(3), numbered(0, 3));
    await inbox.receiver.close();
  }),

  conformanceCase('stops delivering to a closed receiver; what follows waits for the next', async (open) => {
    const network = await open();
    const before = new MailboxCollector(network, 'closing');
    await network.send('closing', numbered(0, 1));
    await before.waitFor(1);
    await before.receiver.close();
    await network.send('closing', numbered(1, 2));
    const after = new MailboxCollector(await open(), 'closing');
    assert.deepEqual(await after.waitFor(2), numbered(1, 2));
    assert.deepEqual(before.messages, numbered(0, 1));
    await after.receiver.close();
  }),

  conformanceCase('refuses a second receiver on the same mailbox', async (open) => {
    const network = await open();
    const receiver = network.receive('single', () => undefined);
    assert.throws(() => network.receive('single', () => undefined), (error) => isOrchestraError(error));
    await receiver.close();
    const again = network.receive('single', () => undefined);
    await again.close();
  }),

  conformanceCase('deletes a mailbox with what it holds', async (open) => {
    const network = await open();
    await network.send('doomed', numbered(0, 3));
    await network.deleteMailbox('doomed');
    await network.send('doomed', numbered(3, 1));
    const inbox = new MailboxCollector(network, 'doomed');
    assert.deepEqual(await inbox.waitFor(1), numbered(3, 1));
    await network.send('doomed', numbered(4, 1));
    assert.deepEqual(await inbox.waitFor(2), numbered(3, 2));
    await inbox.receiver.close();
  }),

  conformanceCase('moves thousands of messages in order, each once', async (open) => {
    const network = await open();
    const inbox = new MailboxCollector(network, 'bulk');
    const sends: Promise<void>[] = [];
    for (let i = 0; i < 100; i += 1) sends.push(network.send('bulk', numbered(i * 50, 50)));
    await Promise.all(sends);
    const messages = await inbox.waitFor(5000, 15_000);
    assert.equal(messages.length, 5000);
    assert.deepEqual(messages, numbered(0, 5000));
    await inbox.receiver.close();
  }),

  ...leaseCases,

  conformanceCase('refuses work after close, and closing twice is harmless', async (open) => {
    const network = await open();
    const receiver = network.receive('after', () => undefined);
    await network.close();
    await network.close();
    await receiver.close();
    await assert.rejects(network.send('after', [{}]), (error) => isOrchestraError(error) && error.code === 'ORCHESTRA_CLOSED');
    assert.throws(() => network.receive('after', () => undefined), (error) => isOrchestraError(error) && error.code === 'ORCHESTRA_CLOSED');
  }),

  ...holdAndExpiryCases,
];
