import { describe, expect, it } from '@jest/globals';
import { BackpressureError, ClosedError } from '@orchestra/core';
import { waitUntil } from '@orchestra/core/internal';
import { setUpEachTest, type Setup } from './support/consumer-under-test.js';

const setUp = setUpEachTest();

/** A consumer with room for two pending results, and both taken. */
async function full(): Promise<Setup & { ids: string[] }> {
  const setup = setUp({ maxPending: 2 });
  const added = [await setup.consumer.addJob('echo.cjs', 1), await setup.consumer.addJob('echo.cjs', 2)];
  await setup.composer.submitted(2);
  return { ...setup, ids: added.map(({ job }) => job.id) };
}

describe('maxPending', () => {
  it('refuses a job with BackpressureError when full and asked not to wait, sending nothing', async () => {
    const { consumer, composer, ids } = await full();
    const refused = await consumer.addJob('echo.cjs', 3, { wait: false }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BackpressureError);
    expect(refused).toMatchObject({ limit: 2 });
    expect(consumer.stats()).toMatchObject({ pending: 2, waiting: 0 });
    // Once a result settled there is room again: the next job is the only one sent after the first two.
    await composer.settle(consumer.id, [{ id: ids[0] as string, ok: true }]);
    await waitUntil(() => consumer.stats().pending === 1, 'the settled job left the pending results');
    await consumer.addJob('echo.cjs', 4, { wait: false });
    expect((await composer.submitted(3)).map((spec) => spec.params)).toEqual(['1', '2', '4']);
  });

  it('makes a waiting addJob wait for room, then sends its job', async () => {
    const { consumer, composer, ids } = await full();
    let added = false;
    const third = consumer.addJob('echo.cjs', 3).then((job) => {
      added = true;
      return job;
    });
    await waitUntil(() => consumer.stats().waiting === 1, 'the third call waits for room');
    expect(added).toBe(false);
    expect(composer.jobs).toHaveLength(2);

    await composer.settle(consumer.id, [{ id: ids[1] as string, ok: true, result: '"two"' }]);
    const { job } = await third;
    expect(consumer.stats()).toMatchObject({ pending: 2, waiting: 0 });
    expect((await composer.submitted(3)).at(-1)).toMatchObject({ id: job.id, params: '3' });
  });

  it('serves waiting calls first come, first served, one per freed slot', async () => {
    const { consumer, composer, ids } = await full();
    const order: number[] = [];
    const waiting = [3, 4, 5].map((n) => consumer.addJob('echo.cjs', n).then(() => order.push(n)));
    await waitUntil(() => consumer.stats().waiting === 3, 'three calls wait for room');
    // A call made while others wait queues behind them: with wait: false it is refused.
    await expect(consumer.addJob('echo.cjs', 6, { wait: false })).rejects.toBeInstanceOf(BackpressureError);

    await composer.settle(consumer.id, [{ id: ids[0] as string, ok: true }]);
    await waitUntil(() => order.length === 1, 'one waiting call went on');
    expect(order).toEqual([3]);
    expect(consumer.stats()).toMatchObject({ pending: 2, waiting: 2 });

    await composer.settle(consumer.id, [{ id: ids[1] as string, ok: true }, { id: (await composer.submitted(3))[2]?.id as string, ok: true }]);
    await Promise.all(waiting);
    expect(order).toEqual([3, 4, 5]);
    expect(consumer.stats()).toMatchObject({ pending: 2, waiting: 0 });
  });

  it('rejects calls still waiting for room with ClosedError on close', async () => {
    const { consumer } = await full();
    const waiting = consumer.addJob('echo.cjs', 3);
    await waitUntil(() => consumer.stats().waiting === 1, 'the call waits for room');
    await consumer.close();
    await expect(waiting).rejects.toBeInstanceOf(ClosedError);
    expect(consumer.stats()).toMatchObject({ pending: 0, waiting: 0 });
  });

  it('frees the slot of a job whose send failed', async () => {
    const { consumer, network } = setUp({ maxPending: 1 });
    await network.close();
    await expect(consumer.addJob('echo.cjs', 1)).rejects.toBeInstanceOf(ClosedError);
    expect(consumer.stats()).toMatchObject({ pending: 0, waiting: 0 });
  });
});
