import { describe, expect, it } from '@jest/globals';
import { ClosedError, InvalidArgumentError } from '@orchestra/core';
import { waitUntil } from '@orchestra/core/internal';
import { Consumer } from '../src/index.js';
import { setUpEachTest, workspace } from './support/consumer-under-test.js';

const setUp = setUpEachTest();

describe('result(jobId)', () => {
  it('keeps a result that arrived before anyone asked for it, and hands it over once asked', async () => {
    const { consumer, composer } = setUp({ id: 'restarted' });
    await composer.settle(consumer.id, [
      { id: 'earlier.1', ok: true, result: '{"n":1}' },
      { id: 'earlier.2', ok: true, result: '2' },
    ]);
    await waitUntil(() => consumer.stats().keptResults === 2, 'both results were kept');
    await expect(consumer.result('earlier.1')).resolves.toEqual({ n: 1 });
    expect(consumer.stats()).toMatchObject({ keptResults: 1, pending: 0, duplicateSettlements: 0 });
  });

  it('gives a later process with the same consumer id the results of jobs the earlier one added', async () => {
    const { consumer: earlier, composer, network, logger } = setUp({ id: 'restarting' });
    const { job } = await earlier.addJob('echo.cjs', 1);
    await composer.submitted(1);
    await earlier.close();
    // The earlier process is gone; its job settles, and the outcome waits in its mailbox.
    await composer.settle('restarting', [{ id: job.id, ok: true, result: '"done"' }]);
    const later = new Consumer(network, workspace, { id: 'restarting', logger });
    try {
      await waitUntil(() => later.stats().keptResults === 1, 'the later process kept the result');
      await expect(later.result(job.id)).resolves.toBe('done');
      expect(later.stats()).toMatchObject({ keptResults: 0, duplicateSettlements: 0 });
    } finally {
      await later.close();
    }
  });

  it('waits for a result not here yet, giving every caller the same promise', async () => {
    const { consumer, composer } = setUp();
    const asked = consumer.result('elsewhere.7');
    expect(consumer.result('elsewhere.7')).toBe(asked);
    expect(consumer.stats().pending).toBe(1);
    await composer.settle(consumer.id, [{ id: 'elsewhere.7', ok: true, result: '7' }]);
    await expect(asked).resolves.toBe(7);
    expect(consumer.stats()).toMatchObject({ pending: 0, keptResults: 0 });
  });

  it('gives the pending result of a job this consumer added', async () => {
    const { consumer, composer } = setUp();
    const { job, result } = await consumer.addJob('echo.cjs', 1);
    expect(consumer.result(job.id)).toBe(result);
    await composer.submitted(1);
    await composer.settle(consumer.id, [{ id: job.id, ok: true, result: '1' }]);
    await expect(result).resolves.toBe(1);
  });

  it('refuses what is not a job id, and rejects with ClosedError once closed', async () => {
    const { consumer } = setUp();
    await expect(consumer.result('not an id!')).rejects.toBeInstanceOf(InvalidArgumentError);
    const waiting = consumer.result('elsewhere.1');
    await consumer.close();
    await expect(waiting).rejects.toBeInstanceOf(ClosedError);
    await expect(consumer.result('elsewhere.2')).rejects.toBeInstanceOf(ClosedError);
  });
});
