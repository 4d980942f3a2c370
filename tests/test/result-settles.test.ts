import { describe, expect, it } from '@jest/globals';
import { Composer } from '@orchestra/composer';
import { Consumer } from '@orchestra/consumer';
import { ResultDeliveredError, ResultTimeoutError, UnknownJobError, Workspace } from '@orchestra/core';
import { Instrument } from '@orchestra/instrument';
import { waitUntil } from '@orchestra/network-conformance';
import { MemNetwork } from '@orchestra/network-mem';
import { RedisNetwork } from '@orchestra/network-redis';
import { quietLogger } from './support/redis-machine.js';
import { redisForRoles } from './support/redis-for-roles.js';
import { RedisRoles, uniqueNamespace, type InstrumentsEvent } from './support/redis-roles.js';
import { workspaceDir, type RoleEvent, type RoleProcess } from './support/role-process.js';

const here = { workspace: workspaceDir };

interface Added extends RoleEvent {
  readonly ids: string[];
}
interface Settled extends Added {
  readonly sums: number[];
}
interface Collected extends RoleEvent {
  readonly results: { id: string; sum?: number; error?: string; code?: string }[];
}

/** How long a result(id) that must settle may take at most: far more than a lookup's round trip, far less than forever. */
const SETTLES_WITHIN_MS = 10_000;

/** What `promise` settled to, or a test failure if it did not settle within `ms`: a bounded wait, not a sleep. */
function settledWithin(promise: Promise<unknown>, what: string, ms = SETTLES_WITHIN_MS): Promise<{ value: unknown } | { error: unknown }> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not settle within ${ms} ms`)), ms);
    promise.then(
      (value) => resolve({ value }),
      (error: unknown) => resolve({ error }),
    );
    void promise.finally(() => clearTimeout(timer)).catch(() => undefined);
  });
}

describe('consumer.result(id) settles, over Redis with every other role a separate process', () => {
  const redis = redisForRoles();
  const processes = redis.processes;

  /** A composer and, with `instruments`, that many one-thread instruments it knows. */
  async function network(roles: RedisRoles, instruments = 1): Promise<RoleProcess[]> {
    const composer = roles.composer();
    await composer.waitFor('ready');
    const started = Array.from({ length: instruments }, (_, i) => roles.instrument(`instrument-${i + 1}`, here));
    await Promise.all(started.map((instrument) => instrument.waitFor('ready')));
    if (instruments > 0) await composer.waitFor<InstrumentsEvent>('instruments', (event) => event.count === instruments);
    return [...started, composer];
  }

  /** A consumer in this test's process, on the namespace's Redis network. */
  async function consumerOn(namespace: string, id: string): Promise<{ consumer: Consumer<Workspace>; close: () => Promise<void> }> {
    const net = new RedisNetwork(redis.server().url, { namespace, logger: quietLogger });
    await net.connect();
    const consumer = new Consumer(net, new Workspace(workspaceDir), { id, logger: quietLogger });
    return {
      consumer,
      close: async () => {
        await consumer.close();
        await net.close();
      },
    };
  }

  async function stopAll(roles: readonly RoleProcess[]): Promise<void> {
    await Promise.all(roles.map((role) => role.stop()));
  }

  it('rejects result(id) for an id no network ever knew with UnknownJobError, within a bounded wait', async () => {
    const ns = uniqueNamespace('never-added');
    const roles = await network(new RedisRoles(processes, redis.server().url, ns), 0);
    const { consumer, close } = await consumerOn(ns, 'app-never');
    try {
      const settled = await settledWithin(consumer.result('never.added.1'), 'result(never.added.1)');
      expect(settled).toEqual({ error: expect.any(UnknownJobError) });
      expect(consumer.stats().pending).toBe(0);
    } finally {
      await close();
      await stopAll(roles);
    }
  }, 60_000);

  it('rejects result(id) for a job whose result an earlier process with the same id received', async () => {
    const ns = uniqueNamespace('received-earlier');
    const rolesOf = new RedisRoles(processes, redis.server().url, ns);
    const roles = await network(rolesOf);
    const earlier = rolesOf.restartingConsumer('consumer-1', here, ['--id', 'app-received', '--mode', 'settle', '--jobs', '2']);
    const { ids, sums } = await earlier.waitFor<Settled>('settled', () => true, 30_000);
    expect(sums).toEqual([0, 2]);
    await earlier.stop();
    const { consumer, close } = await consumerOn(ns, 'app-received');
    try {
      for (const id of ids) {
        expect(await settledWithin(consumer.result(id), `result(${id})`)).toEqual({ error: expect.any(UnknownJobError) });
      }
    } finally {
      await close();
      await stopAll(roles);
    }
  }, 60_000);

  it('ends only the wait at a timeout, and hands a kept result out once', async () => {
    const ns = uniqueNamespace('kept-once');
    const rolesOf = new RedisRoles(processes, redis.server().url, ns);
    const roles = await network(rolesOf, 2);
    const earlier = rolesOf.restartingConsumer('consumer-1', here, ['--id', 'app-kept', '--mode', 'add', '--jobs', '2', '--ms', '3000']);
    const { ids } = await earlier.waitFor<Added>('added');
    earlier.child.kill('SIGKILL');
    await earlier.exited;
    const { consumer, close } = await consumerOn(ns, 'app-kept');
    try {
      const [first, second] = ids as [string, string];
      // The jobs still run: the wait ends, the jobs do not.
      const waited = await settledWithin(consumer.result(first, { timeout: 200 }), `result(${first}, { timeout })`);
      expect(waited).toEqual({ error: expect.any(ResultTimeoutError) });
      await waitUntil(() => consumer.stats().keptResults === 2, 'both results arrived and were kept', 20_000);
      await expect(consumer.result(first)).resolves.toMatchObject({ sum: 0 });
      await expect(consumer.result(second, { timeout: 1_000 })).resolves.toMatchObject({ sum: 2 });
      // Asked again, each rejects at once: nothing more will come for it.
      for (const id of ids) expect(await settledWithin(consumer.result(id), `result(${id}) again`, 1_000)).toEqual({ error: expect.any(ResultDeliveredError) });
      expect(consumer.stats()).toMatchObject({ pending: 0, keptResults: 0 });
    } finally {
      await close();
      await stopAll(roles);
    }
  }, 60_000);

  it('gives a consumer started again the results a SIGKILLed one had kept, not yet asked for', async () => {
    const ns = uniqueNamespace('kept-then-killed');
    const rolesOf = new RedisRoles(processes, redis.server().url, ns);
    const roles = await network(rolesOf, 2);
    const adder = rolesOf.restartingConsumer('consumer-1', here, ['--id', 'app-restart', '--mode', 'add', '--jobs', '4', '--ms', '1000']);
    const { ids } = await adder.waitFor<Added>('added');
    adder.child.kill('SIGKILL');
    await adder.exited;
    // Started again: the results reach it and are kept; it dies before anyone asks for them.
    const keeper = rolesOf.restartingConsumer('consumer-2', here, ['--id', 'app-restart', '--mode', 'keep', '--expect', '4']);
    await keeper.waitFor('kept', () => true, 30_000);
    keeper.child.kill('SIGKILL');
    await keeper.exited;
    const collector = rolesOf.restartingConsumer('consumer-3', here, ['--id', 'app-restart', '--mode', 'collect', `--ids=${ids.join(',')}`]);
    const collected = await collector.waitFor<Collected>('collected', () => true, 20_000);
    expect(collected.results).toEqual(ids.map((id, i) => ({ id, sum: 2 * i })));
    await stopAll([collector, ...roles]);
  }, 90_000);
});

describe('consumer.result(id) settles, on a MemNetwork', () => {
  it('keeps the results a closed consumer had kept for the next one with its id, and rejects what nobody knows', async () => {
    const network = new MemNetwork();
    const workspace = new Workspace(workspaceDir);
    const composer = new Composer(network, { logger: quietLogger });
    const instrument = new Instrument(network, workspace, 1, { logger: quietLogger });
    const start = (): Consumer<Workspace> => new Consumer(network, workspace, { id: 'mem-app', logger: quietLogger });
    let consumer = start();
    try {
      const { job } = await consumer.addJob('add-pid.cjs', { a: 2, b: 3, ms: 200 });
      await consumer.close();
      // The job settles while nobody reads; the next process keeps its result, and closes unasked.
      consumer = start();
      await waitUntil(() => consumer.stats().keptResults === 1, 'the result was kept', 10_000);
      await consumer.close();
      consumer = start();
      await expect(consumer.result(job.id, { timeout: SETTLES_WITHIN_MS })).resolves.toMatchObject({ sum: 5 });
      await expect(consumer.result(job.id)).rejects.toThrow(ResultDeliveredError);
      expect(await settledWithin(consumer.result('never.added.2'), 'result(never.added.2)')).toEqual({ error: expect.any(UnknownJobError) });
    } finally {
      await consumer.close();
      await instrument.close();
      await composer.close();
      await network.close();
    }
  }, 30_000);
});
