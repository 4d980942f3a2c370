import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Composer } from '@orchestra/composer';
import { Consumer } from '@orchestra/consumer';
import { Instrument } from '@orchestra/instrument';
import { waitUntil } from '@orchestra/network-conformance';
import { RedisNetwork, RedisOutOfMemoryError } from '@orchestra/network-redis';
import { startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { Redis } from 'ioredis';
import { fixtureWorkspace } from './support/orchestra.js';
import { quietLogger } from './support/redis-machine.js';
import { uniqueNamespace } from './support/redis-roles.js';

let server: RedisServer;
let admin: Redis;
beforeAll(async () => {
  // A server of its own: the test fills it up.
  server = await startRedisServer({ url: undefined, args: ['--maxmemory-policy', 'noeviction'] });
  admin = new Redis(server.url, { protocol: 2 });
});
afterAll(async () => {
  await admin.quit();
  await server.stop();
});

async function usedMemory(): Promise<number> {
  const info = await admin.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1]);
}

describe('a full Redis (maxmemory reached, noeviction)', () => {
  it('refuses new jobs with an error naming the cause, while the jobs it holds settle and memory falls', async () => {
    const namespace = uniqueNamespace('full');
    const open = () => new RedisNetwork(server.url, { namespace, logger: quietLogger });
    const networks = [open(), open(), open()] as const;
    const [composerNet, instrumentNet, consumerNet] = networks;
    const composer = new Composer(composerNet, { logger: quietLogger });
    const instrument = new Instrument(instrumentNet, fixtureWorkspace(), 2, { logger: quietLogger });
    const consumer = new Consumer(consumerNet, fixtureWorkspace(), { logger: quietLogger });
    const log = join(mkdtempSync(join(tmpdir(), 'orchestra-full-')), 'runs.jsonl');
    const pad = 'x'.repeat(100_000);
    const jobs = 20;
    const results: Promise<unknown>[] = [];
    let resolved = 0;
    for (let a = 0; a < jobs; a += 1) {
      const { result } = await consumer.addJob('slow-marked.cjs', { a, b: 1, ms: 200, log, pad });
      results.push(result);
      void result.then(() => (resolved += 1));
    }
    await waitUntil(() => instrument.stats().busy > 0, 'jobs are running');

    // Full: the limit is now well below what Redis uses (eight jobs' worth), so every write that
    // needs memory stays refused while the test watches.
    const full = await usedMemory();
    await admin.config('SET', 'maxmemory', String(full - 800_000));
    const atInstrument = instrument.stats().held;
    const resolvedWhenFull = resolved;
    const refused = await consumer.addJob('slow-marked.cjs', { a: jobs, b: 1, ms: 1, log, pad }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(RedisOutOfMemoryError);
    expect((refused as Error).message).toMatch(/out of memory.*maxmemory/);

    // The jobs the instrument held settle all the same (settlements still get through), their
    // submissions are deleted, and memory falls. Jobs still queued wait for memory to hand out:
    // a full Redis moves what it can.
    await waitUntil(() => resolved >= resolvedWhenFull + atInstrument, `the ${String(atInstrument)} jobs at the instrument settled`, 20_000);
    await waitUntil(async () => (await usedMemory()) < full - 60_000, 'memory fell as the jobs settled', 15_000);
    expect(composer.stats().acting).toBe(true);

    // Room again: everything accepted settles; nothing was lost.
    await admin.config('SET', 'maxmemory', '0');
    expect(await Promise.all(results)).toHaveLength(jobs);
    expect(composer.stats()).toMatchObject({ acting: true, queued: 0, running: 0 });

    await consumer.close();
    await instrument.close();
    await composer.close();
    await Promise.all(networks.map((network) => network.close()));
  }, 60_000);
});
