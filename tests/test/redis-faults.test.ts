import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { waitUntil } from '@orchestra/network-conformance';
import { startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { Redis } from 'ioredis';
import { RedisRoles, uniqueNamespace, type ConsumerProgress, type ConsumerReport, type InstrumentsEvent } from './support/redis-roles.js';
import { RoleProcesses, workspaceDir, type RoleEvent, type RoleProcess } from './support/role-process.js';

const here = { workspace: workspaceDir };

interface Added extends RoleEvent {
  readonly ids: string[];
}
interface Collected extends RoleEvent {
  readonly results: { id: string; sum?: number; error?: string }[];
}

/** Settlements held in a consumer's mailbox stream, not yet read. */
async function keptSettlements(admin: Redis, key: string): Promise<number> {
  const entries = await admin.xrange(key, '-', '+');
  let count = 0;
  for (const [, fields] of entries) {
    const messages = JSON.parse(fields[1] ?? '[]') as { type: string; settlements?: unknown[] }[];
    for (const message of messages) if (message.type === 'settle') count += message.settlements?.length ?? 0;
  }
  return count;
}

describe('Redis faults, with every role a separate process', () => {
  let aof: RedisServer;
  let admin: Redis;
  const processes = new RoleProcesses();

  beforeAll(async () => {
    aof = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    admin = new Redis(aof.url, { protocol: 2, maxRetriesPerRequest: null });
    admin.on('error', () => undefined);
  });
  afterAll(async () => {
    await processes.killAll();
    admin?.disconnect();
    await aof?.stop();
  });

  async function network(roles: RedisRoles): Promise<{ composer: RoleProcess; instruments: RoleProcess[] }> {
    const composer = roles.composer();
    await composer.waitFor('ready');
    const instruments = [1, 2].map((i) => roles.instrument(`instrument-${i}`, here));
    await Promise.all(instruments.map((instrument) => instrument.waitFor('ready')));
    await composer.waitFor<InstrumentsEvent>('instruments', (event) => event.count === 2);
    return { composer, instruments };
  }

  async function stopAll(roles: readonly RoleProcess[]): Promise<void> {
    await Promise.all(roles.map((role) => role.stop()));
  }

  it('carries on through cut connections (CLIENT KILL of every client, three times), losing nothing', async () => {
    const roles = new RedisRoles(processes, aof.url, uniqueNamespace('client-kill'));
    const { composer, instruments } = await network(roles);
    const jobs = 3_000;
    const consumer = roles.consumer('consumer', here, { index: 1, jobs, ms: 1, progressEvery: 300 });
    for (let cut = 1; cut <= 3; cut += 1) {
      await consumer.waitFor<ConsumerProgress>('progress', (event) => event.settled >= cut * 600, 60_000);
      await admin.call('CLIENT', 'KILL', 'TYPE', 'normal', 'SKIPME', 'yes');
    }
    await consumer.waitFor('settled', () => true, 60_000);
    const report = await consumer.stop<ConsumerReport>();
    expect(report).toMatchObject({ added: jobs, settled: jobs, wrong: 0, failed: 0, missing: 0 });
    await stopAll([...instruments, composer]);
  }, 120_000);

  it('carries on when Redis restarts with AOF mid-run: every role reconnects, no accepted job is lost, no loss is reported', async () => {
    const roles = new RedisRoles(processes, aof.url, uniqueNamespace('aof-restart'));
    const { composer, instruments } = await network(roles);
    const jobs = 3_000;
    const consumer = roles.consumer('consumer', here, { index: 1, jobs, ms: 1, progressEvery: 300 });
    await consumer.waitFor<ConsumerProgress>('progress', (event) => event.settled >= 600, 60_000);
    await aof.restart();
    await consumer.waitFor('settled', () => true, 90_000);
    const report = await consumer.stop<ConsumerReport>();
    expect(report).toMatchObject({ added: jobs, settled: jobs, wrong: 0, failed: 0, missing: 0 });
    for (const role of [composer, ...instruments, consumer]) expect(role.events.some((event) => event.event === 'data-loss')).toBe(false);
    await stopAll([...instruments, composer]);
  }, 150_000);

  it('reports loudly, in every role, a Redis that came back empty', async () => {
    const bare = await startRedisServer();
    try {
      const roles = new RedisRoles(processes, bare.url, uniqueNamespace('empty-restart'));
      const composer = roles.composer();
      await composer.waitFor('ready');
      const instrument = roles.instrument('instrument', here);
      await instrument.waitFor('ready');
      const consumer = roles.consumer('consumer', here, { index: 1, jobs: 1, progressEvery: 1 });
      await consumer.waitFor('settled', () => true, 30_000);
      await bare.restart();
      await Promise.all([composer, instrument, consumer].map((role) => role.waitFor('data-loss', () => true, 30_000)));
      await stopAll([consumer, instrument, composer]);
    } finally {
      await bare.stop();
    }
  }, 90_000);

  it('gives a consumer started again with the same id the results kept for it', async () => {
    const ns = uniqueNamespace('consumer-restart');
    const roles = new RedisRoles(processes, aof.url, ns);
    const { composer, instruments } = await network(roles);
    const first = roles.restartingConsumer('consumer-1', here, ['--id', 'app-1', '--mode', 'add', '--jobs', '4', '--ms', '1000']);
    const { ids } = await first.waitFor<Added>('added');
    first.child.kill('SIGKILL');
    await first.exited;
    // The jobs settle while nobody reads: their results wait in the consumer's mailbox.
    const key = `orchestra:{${ns}}:mailbox:consumer.app-1`;
    await waitUntil(async () => (await keptSettlements(admin, key)) === 4, 'the four results are kept in the mailbox', 20_000);
    const again = roles.restartingConsumer('consumer-2', here, ['--id', 'app-1', '--mode', 'collect', `--ids=${ids.join(',')}`]);
    const collected = await again.waitFor<Collected>('collected', () => true, 20_000);
    expect(collected.results).toEqual(ids.map((id, i) => ({ id, sum: 2 * i })));
    await stopAll([again, ...instruments, composer]);
  }, 90_000);

  it('expires the results nobody read once resultTtlMs has passed, so Redis does not grow', async () => {
    const ns = uniqueNamespace('result-ttl');
    const roles = new RedisRoles(processes, aof.url, ns);
    const { composer, instruments } = await network(roles);
    const gone = roles.restartingConsumer('consumer', here, ['--id', 'app-2', '--mode', 'add', '--jobs', '2', '--ms', '300', '--result-ttl-ms', '1500']);
    await gone.waitFor<Added>('added');
    gone.child.kill('SIGKILL');
    await gone.exited;
    const key = `orchestra:{${ns}}:mailbox:consumer.app-2`;
    await waitUntil(async () => (await keptSettlements(admin, key)) === 2, 'the two results are kept for a while', 20_000);
    const ttl = await admin.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(1_500);
    await waitUntil(async () => (await admin.exists(key)) === 0, 'the unread results expired', 10_000);
    await stopAll([...instruments, composer]);
  }, 60_000);
});
