import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Composer } from '@orchestra/composer';
import { Consumer } from '@orchestra/consumer';
import { Instrument } from '@orchestra/instrument';
import { waitUntil } from '@orchestra/network-conformance';
import { MemNetwork } from '@orchestra/network-mem';
import { fixtureWorkspace } from './support/orchestra.js';
import { quietLogger } from './support/redis-machine.js';
import { redisForRoles } from './support/redis-for-roles.js';
import { RedisRoles, uniqueNamespace, type ComposerReport, type ComposerStatsEvent, type ConsumerReport } from './support/redis-roles.js';
import { workspaceDir } from './support/role-process.js';

const LEASE_MS = 1_500;
const scratch = mkdtempSync(join(tmpdir(), 'orchestra-stall-'));

/** How many times each job started, from slow-marked.cjs's log. */
function startsPerJob(log: string): number[] {
  if (!existsSync(log)) return [];
  const counts = new Map<number, number>();
  for (const line of readFileSync(log, 'utf8').trim().split('\n').filter(Boolean)) {
    const { a } = JSON.parse(line) as { a: number };
    counts.set(a, (counts.get(a) ?? 0) + 1);
  }
  return [...counts.values()];
}

/** Blocks this thread's event loop, as a long synchronous loop would. */
function blockEventLoop(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

describe('a stall is not a rival: a composer whose own process stalled past its lease keeps its queue', () => {
  const redis = redisForRoles();

  it('over Redis: a lone composer stopped for twice its lease takes the lease back and runs every job once', async () => {
    const roles = new RedisRoles(redis.processes, redis.server().url, uniqueNamespace('stall'));
    const composer = roles.composer({}, ['--lease-ms', String(LEASE_MS)]);
    const ready = await composer.waitFor<ComposerStatsEvent>('stats', (event) => event.stats.acting, 15_000);
    const instrument = roles.instrument('instrument', { workspace: workspaceDir }, 2, ['--heartbeat-ms', '250']);
    await instrument.waitFor('ready');
    const log = join(scratch, 'redis-runs.jsonl');
    const jobs = 400;
    const consumer = roles.consumer('consumer', { workspace: workspaceDir }, { index: 1, jobs, ms: 5, script: 'slow-marked.cjs', log, progressEvery: 50 });
    await consumer.waitFor('progress', () => true, 30_000);
    composer.child.kill('SIGSTOP');
    const stoppedAt = Date.now();
    await waitUntil(() => Date.now() >= stoppedAt + 2 * LEASE_MS, 'twice the lease went by');
    composer.child.kill('SIGCONT');
    await consumer.waitFor('settled', () => true, 60_000);
    const report = await consumer.stop<ConsumerReport>();
    expect(report).toMatchObject({ added: jobs, settled: jobs, wrong: 0, failed: 0, missing: 0 });
    // Kept its queue: no job was handed out again, none ran twice.
    const starts = startsPerJob(log);
    expect(starts).toHaveLength(jobs);
    expect(starts.every((count) => count === 1)).toBe(true);
    const { stats } = await composer.stop<ComposerReport>();
    expect(stats).toMatchObject({ leaseResumes: 1, lostInstruments: 0, lostRuns: 0 });
    expect(stats.epoch).toBeGreaterThan(ready.stats.epoch);
    // It never stepped down: every stats line it printed says it acted.
    expect(composer.events.filter((event) => event.event === 'stats').every((event) => (event as ComposerStatsEvent).stats.acting)).toBe(true);
    await instrument.stop();
  }, 90_000);

  it('in one process (MemNetwork): an event loop blocked for twice the lease never drops the queue', async () => {
    const network = new MemNetwork();
    const composer = new Composer(network, { leaseMs: LEASE_MS, logger: quietLogger });
    const instrument = new Instrument(network, fixtureWorkspace(), 2, { logger: quietLogger });
    const consumer = new Consumer(network, fixtureWorkspace(), { logger: quietLogger });
    const log = join(scratch, 'mem-runs.jsonl');
    const jobs = 400;
    const results: Promise<unknown>[] = [];
    for (let a = 0; a < jobs; a += 1) results.push((await consumer.addJob('slow-marked.cjs', { a, b: 1, ms: 5, log })).result);
    await waitUntil(() => instrument.stats().settled >= 20, 'jobs are running');
    const epoch = composer.stats().epoch;
    blockEventLoop(2 * LEASE_MS);
    const settled = await Promise.all(results);
    expect(settled).toHaveLength(jobs);
    const starts = startsPerJob(log);
    expect(starts).toHaveLength(jobs);
    expect(starts.every((count) => count === 1)).toBe(true);
    expect(composer.stats()).toMatchObject({ acting: true, leaseResumes: 1, lostInstruments: 0, lostRuns: 0, queued: 0, running: 0 });
    expect(composer.stats().epoch).toBeGreaterThan(epoch);
    await consumer.close();
    await instrument.close();
    await composer.close();
    await network.close();
  }, 60_000);
});
