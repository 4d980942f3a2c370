import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError, ResultDeliveredError, ResultTimeoutError, UnknownJobError, type Network, type Workspace } from '@orchestra/core';
import { waitUntil } from '@orchestra/core/internal';
import { MemNetwork } from '@orchestra/network-mem';
import { Consumer } from '../src/index.js';
import { ComposerStandIn } from './support/composer-stand-in.js';
import { setUpEachTest, workspace } from './support/consumer-under-test.js';

const setUp = setUpEachTest();

/** What a promise settled to, without waiting for anything else. */
function outcome(promise: Promise<unknown>): Promise<{ value: unknown } | { error: unknown }> {
  return promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
}

/**
 * Asks about one more id and waits for that lookup: lookups reach the composer in order, so had the
 * consumer asked about anything before, it would be there first.
 */
async function expectNothingAskedBefore(consumer: Consumer<Workspace>, composer: ComposerStandIn): Promise<void> {
  void consumer.result('probe.1').catch(() => undefined);
  await composer.askedAbout(1);
  expect(composer.lookedUp).toEqual(['probe.1']);
}

describe('result(jobId) settles', () => {
  it('rejects at once with ResultDeliveredError for one of its own jobs whose result it handed out, asking nobody', async () => {
    const { consumer, composer } = setUp();
    const { job, result } = await consumer.addJob('echo.cjs', 1);
    await composer.submitted(1);
    await composer.settle(consumer.id, [{ id: job.id, ok: true, result: '1' }]);
    await expect(result).resolves.toBe(1);
    const error = await consumer.result(job.id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultDeliveredError);
    expect(error).toMatchObject({ code: 'ORCHESTRA_RESULT_DELIVERED', jobId: job.id });
    await expectNothingAskedBefore(consumer, composer);
  });

  it('hands a kept result out once: asked again, it rejects at once with ResultDeliveredError', async () => {
    const { consumer, composer } = setUp({ id: 'restarted' });
    await composer.settle(consumer.id, [{ id: 'earlier.1', ok: true, result: '"one"' }]);
    await waitUntil(() => consumer.stats().keptResults === 1, 'the result was kept');
    await expect(consumer.result('earlier.1')).resolves.toBe('one');
    await expect(consumer.result('earlier.1')).rejects.toThrow(ResultDeliveredError);
    // A late duplicate of it is dropped and counted, not kept again for a third caller.
    await composer.settle(consumer.id, [{ id: 'earlier.1', ok: true, result: '"again"' }]);
    await waitUntil(() => consumer.stats().duplicateSettlements === 1, 'the duplicate was counted');
    expect(consumer.stats().keptResults).toBe(0);
    await expectNothingAskedBefore(consumer, composer);
  });

  it('asks the composer about ids of earlier processes, those of one tick in one lookup, and rejects those it does not know', async () => {
    const { consumer, composer } = setUp({ id: 'asker', resultTtlMs: 5_000 });
    const never = outcome(consumer.result('never.added'));
    const running = consumer.result('still.running');
    await composer.askedAbout(2);
    expect(composer.lookups).toEqual([{ v: 1, type: 'lookup', consumer: 'asker', resultTtlMs: 5_000, ids: ['never.added', 'still.running'] }]);
    await composer.lookupReply('asker', ['never.added']);
    const settled = await never;
    expect(settled).toEqual({ error: expect.any(UnknownJobError) });
    expect((settled as { error: Error }).error.message).toBe(
      'No job never.added of this consumer is known to the network: it was never added, or its result was already ' +
        'delivered to this consumer id (to an earlier process with the same id), or it expired unread after resultTtlMs',
    );
    // The composer holds the other one: it waits for its settlement.
    expect(consumer.stats().pending).toBe(1);
    await composer.settle('asker', [{ id: 'still.running', ok: true, result: '2' }]);
    await expect(running).resolves.toBe(2);
    expect(consumer.stats().pending).toBe(0);
  });

  it('settles with a result that arrives before the answer that the composer does not know the job any more', async () => {
    const { consumer, composer } = setUp({ id: 'ordered' });
    const asked = consumer.result('earlier.5');
    await composer.askedAbout(1);
    // In the mailbox, the settlement comes first: the composer sent it before it answered.
    await composer.settle('ordered', [{ id: 'earlier.5', ok: true, result: '5' }]);
    await composer.lookupReply('ordered', ['earlier.5']);
    await expect(asked).resolves.toBe(5);
    await expect(consumer.result('earlier.5')).rejects.toThrow(ResultDeliveredError);
  });

  it('asks again when the answer comes from a composer that had lost its lease', async () => {
    const { consumer, composer } = setUp({ id: 'fenced' });
    const asked = outcome(consumer.result('earlier.9'));
    await composer.askedAbout(1);
    await composer.settle('fenced', [{ id: 'other.1', ok: true }], 3);
    await composer.lookupReply('fenced', ['earlier.9'], 2);
    await composer.askedAbout(2);
    expect(consumer.stats().staleMessages).toBe(1);
    expect(composer.lookedUp).toEqual(['earlier.9', 'earlier.9']);
    await composer.lookupReply('fenced', ['earlier.9'], 3);
    expect(await asked).toEqual({ error: expect.any(UnknownJobError) });
  });

  it('ignores an answer about its own jobs, whose results come from their settlement', async () => {
    const { consumer, composer } = setUp({ id: 'own' });
    const { job, result } = await consumer.addJob('echo.cjs', 1);
    await composer.submitted(1);
    await composer.lookupReply('own', [job.id]);
    await composer.settle('own', [{ id: job.id, ok: true, result: '"mine"' }]);
    await expect(result).resolves.toBe('mine');
  });

  it('sets aside an invalid answer', async () => {
    const { consumer, composer } = setUp({ id: 'strict' });
    await composer.send('strict', { v: 1, type: 'lookup-reply', epoch: 1, unknown: [] });
    await composer.send('strict', { v: 1, type: 'lookup-reply', epoch: 1, unknown: ['a'], extra: 1 });
    await waitUntil(() => consumer.stats().invalidMessages === 2, 'both answers were set aside');
  });

  it('rejects with the send error when the lookup cannot be sent, and can be asked again', async () => {
    const network = new MemNetwork();
    let refuse = true;
    const flaky: Network = {
      contractVersion: network.contractVersion,
      send: (mailbox, messages, options) =>
        refuse && mailbox === 'composer' ? Promise.reject(new Error('the network is down')) : network.send(mailbox, messages, options),
      receive: (mailbox, handler, options) => network.receive(mailbox, handler, options),
      deleteMailbox: (mailbox) => network.deleteMailbox(mailbox),
      acquireLease: (name, holder, ttlMs) => network.acquireLease(name, holder, ttlMs),
      releaseLease: (name, holder) => network.releaseLease(name, holder),
      close: () => network.close(),
    };
    const composer = new ComposerStandIn(network);
    const consumer = new Consumer(flaky, workspace, { id: 'cut-off' });
    try {
      await expect(consumer.result('earlier.1')).rejects.toThrow('the network is down');
      expect(consumer.stats().pending).toBe(0);
      refuse = false;
      const again = consumer.result('earlier.1');
      await composer.askedAbout(1);
      await composer.settle('cut-off', [{ id: 'earlier.1', ok: true, result: '1' }]);
      await expect(again).resolves.toBe(1);
    } finally {
      await consumer.close();
      await composer.close();
      await network.close();
    }
  });
});

describe('result(jobId, { timeout })', () => {
  it('rejects with ResultTimeoutError past the timeout, and the result stays collectable', async () => {
    const { consumer, composer } = setUp();
    const { job, result } = await consumer.addJob('echo.cjs', 1);
    await composer.submitted(1);
    const error = await consumer.result(job.id, { timeout: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ResultTimeoutError);
    expect(error).toMatchObject({ code: 'ORCHESTRA_RESULT_TIMEOUT', jobId: job.id, timeoutMs: 20 });
    // Still pending: asked again, it is the same result as addJob's.
    expect(consumer.result(job.id)).toBe(result);
    const later = consumer.result(job.id, { timeout: 60_000 });
    await composer.settle(consumer.id, [{ id: job.id, ok: true, result: '"late"' }]);
    await expect(later).resolves.toBe('late');
    await expect(result).resolves.toBe('late');
  });

  it('keeps for a later call the result of an earlier process’s job that came after every caller timed out', async () => {
    const { consumer, composer } = setUp({ id: 'patient' });
    await expect(consumer.result('earlier.3', { timeout: 20 })).rejects.toThrow(ResultTimeoutError);
    await composer.askedAbout(1);
    await composer.settle('patient', [{ id: 'earlier.3', ok: true, result: '3' }]);
    await expect(consumer.result('earlier.3', { timeout: 60_000 })).resolves.toBe(3);
    // It was asked about once: the second call found the result that had arrived for the first.
    expect(composer.lookedUp).toEqual(['earlier.3']);
  });

  it('still settles a caller without a timeout when another caller of the same id timed out', async () => {
    const { consumer, composer } = setUp({ id: 'mixed' });
    const patient = consumer.result('earlier.4');
    await expect(consumer.result('earlier.4', { timeout: 20 })).rejects.toThrow(ResultTimeoutError);
    expect(consumer.stats().pending).toBe(1);
    await composer.settle('mixed', [{ id: 'earlier.4', ok: true, result: '4' }]);
    await expect(patient).resolves.toBe(4);
    expect(consumer.stats()).toMatchObject({ pending: 0, keptResults: 0 });
  });

  it.each<[unknown, string]>([
    [{ timeout: 0 }, `timeout must be an integer from 1 to 2147483647, got 0`],
    [{ timeout: 1.5 }, `timeout must be an integer from 1 to 2147483647, got 1.5`],
    [{ timeout: '100' }, `timeout must be an integer from 1 to 2147483647, got 100`],
    [{ timeout: 2_147_483_648 }, `timeout must be an integer from 1 to 2147483647, got 2147483648`],
    [null, 'The options of result(jobId, options) must be an object'],
    [5, 'The options of result(jobId, options) must be an object'],
  ])('refuses the options %j with InvalidArgumentError', async (options, message) => {
    const { consumer, composer } = setUp();
    await expect(consumer.result('earlier.1', options as never)).rejects.toThrow(new InvalidArgumentError(message));
    expect(consumer.stats().pending).toBe(0);
    await expectNothingAskedBefore(consumer, composer);
  });
});
