import { describe, expect, it } from '@jest/globals';
import { Consumer } from '@orchestra/consumer';
import { BackpressureError, ClosedError, InvalidArgumentError, type Workspace } from '@orchestra/core';
import { waitUntil } from '@orchestra/network-conformance';
import { MemNetwork } from '@orchestra/network-mem';
import { type OneMachine, fixtureWorkspace, oneMachine } from './support/orchestra.js';

/** One thread and a consumer that keeps at most `maxPending` jobs unsettled. */
const smallMachine = (maxPending: number): OneMachine<Workspace> => oneMachine(fixtureWorkspace(), 1, { maxPending });

const slow = { ms: 300 };

describe('backpressure: a consumer keeps at most maxPending jobs unsettled', () => {
  it('rejects at once with BackpressureError when asked not to wait, sending nothing', async () => {
    const machine = smallMachine(2);
    const first = await machine.consumer.addJob('spin.cjs', slow);
    await machine.consumer.addJob('spin.cjs', slow);
    await expect(machine.consumer.addJob('spin.cjs', slow, { wait: false })).rejects.toThrow(BackpressureError);
    expect(machine.consumer.stats()).toMatchObject({ pending: 2, waiting: 0 });
    await waitUntil(() => machine.composer.stats().queued + machine.composer.stats().running === 2, 'the composer holds the two jobs');
    await first.result;
    // Room again: the same call now goes through.
    const third = await machine.consumer.addJob('spin.cjs', { ms: 1 }, { wait: false });
    expect(typeof (await third.result)).toBe('number');
    expect(machine.composer.stats().settled).toBeGreaterThanOrEqual(2);
    await machine.close();
  });

  it('makes addJob wait for room, first come first served, and never goes past the limit', async () => {
    const machine = smallMachine(2);
    const order: string[] = [];
    const added = ['a', 'b', 'c', 'd', 'e'].map((name) =>
      machine.consumer.addJob('spin.cjs', { ms: 50 }).then((job) => {
        order.push(`added ${name}`);
        expect(machine.consumer.stats().pending).toBeLessThanOrEqual(2);
        void job.result.then(() => order.push(`settled ${name}`));
        return job;
      }),
    );
    await waitUntil(() => machine.consumer.stats().waiting === 3, 'three calls wait for room');
    const jobs = await Promise.all(added);
    await Promise.all(jobs.map((job) => job.result));
    const addedOrder = order.filter((entry) => entry.startsWith('added'));
    expect(addedOrder).toEqual(['added a', 'added b', 'added c', 'added d', 'added e']);
    // c is only added once a result has settled.
    expect(order.indexOf('added c')).toBeGreaterThan(order.findIndex((entry) => entry.startsWith('settled')));
    await machine.close();
  });

  it('rejects waiting calls with ClosedError when the consumer closes, and checks its options', async () => {
    const machine = smallMachine(1);
    await machine.consumer.addJob('spin.cjs', slow);
    const waiting = machine.consumer.addJob('spin.cjs', slow);
    await waitUntil(() => machine.consumer.stats().waiting === 1, 'the second call waits');
    const refused = expect(waiting).rejects.toThrow(ClosedError);
    await machine.close();
    await refused;
    expect(() => new Consumer(new MemNetwork(), fixtureWorkspace(), { maxPending: 0 })).toThrow(InvalidArgumentError);
  });
});
