import { describe, expect, it } from '@jest/globals';
import { waitUntil } from '@orchestra/core/internal';
import { setUpEachTest } from './support/consumer-under-test.js';

const setUp = setUpEachTest();

describe('duplicates and stale messages', () => {
  it('settles a job once: a second settlement is counted and dropped', async () => {
    const { consumer, composer } = setUp();
    const { job, result } = await consumer.addJob('echo.cjs', 1);
    await composer.submitted(1);
    await composer.settle(consumer.id, [{ id: job.id, ok: true, result: '"first"' }]);
    await expect(result).resolves.toBe('first');
    // The job ran again (a composer took over before its settlement was released): a second outcome arrives.
    await composer.settle(consumer.id, [{ id: job.id, ok: true, result: '"second"' }]);
    await waitUntil(() => consumer.stats().duplicateSettlements === 1, 'the duplicate was counted');
    await expect(result).resolves.toBe('first');
    expect(consumer.stats()).toMatchObject({ pending: 0, keptResults: 0 });
  });

  it('refuses settle and progress messages of an epoch older than one already heard from', async () => {
    const { consumer, composer } = setUp();
    const progress: unknown[] = [];
    const early = await consumer.addJob('echo.cjs', 1);
    const late = await consumer.addJob('echo.cjs', 2, { onProgress: (value) => progress.push(value) });
    await composer.submitted(2);
    await composer.settle(consumer.id, [{ id: early.job.id, ok: true, result: '1' }], 5);
    await expect(early.result).resolves.toBe(1);

    // A composer that lost its lease (epoch 4) still speaks: nothing it says counts.
    await composer.settle(consumer.id, [{ id: late.job.id, ok: true, result: '"stale"' }], 4);
    await composer.progress(consumer.id, [{ id: late.job.id, value: 'stale' }], 4);
    await waitUntil(() => consumer.stats().staleMessages === 2, 'both stale messages were counted');
    expect(consumer.stats().pending).toBe(1);
    expect(progress).toEqual([]);

    // The acting composer's word, of its epoch or a newer one, still counts.
    await composer.progress(consumer.id, [{ id: late.job.id, value: 'fresh' }], 5);
    await composer.settle(consumer.id, [{ id: late.job.id, ok: true, result: '"fresh"' }], 6);
    await expect(late.result).resolves.toBe('fresh');
    expect(progress).toEqual(['fresh']);
    expect(consumer.stats()).toMatchObject({ staleMessages: 2, duplicateSettlements: 0, pending: 0 });
  });
});
