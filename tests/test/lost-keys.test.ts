import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { redisForRoles } from './support/redis-for-roles.js';
import { RedisRoles, uniqueNamespace, type ComposerStatsEvent, type ConsumerReport } from './support/redis-roles.js';
import { workspaceDir, type RoleEvent, type RoleProcess } from './support/role-process.js';

const here = { workspace: workspaceDir };

/**
 * Watches the composers' stats lines: each says whether that composer acts. Two composers whose
 * latest lines both say so would be two acting at once.
 */
function watchActing(composers: readonly RoleProcess[]): () => number {
  let overlaps = 0;
  const acting = new Map<string, boolean>();
  for (const composer of composers) {
    composer.child.stdout?.on('data', () => {
      const last = [...composer.events].reverse().find((event: RoleEvent) => event.event === 'stats') as ComposerStatsEvent | undefined;
      if (last === undefined) return;
      acting.set(composer.name, last.stats.acting);
      if ([...acting.values()].filter(Boolean).length > 1) overlaps += 1;
    });
  }
  return () => overlaps;
}

describe('a Redis that loses keys while jobs flow', () => {
  const redis = redisForRoles();

  it('never shows two acting composers, reports the loss, and finishes every job without a restart', async () => {
    const namespace = uniqueNamespace('lost-keys');
    const roles = new RedisRoles(redis.processes, redis.server().url, namespace);
    const first = roles.composer({}, ['--lease-ms', '1500'], 'composer-1');
    await first.waitFor('ready');
    const standby = roles.composer({}, ['--lease-ms', '1500'], 'composer-2');
    await standby.waitFor('started');
    const overlaps = watchActing([first, standby]);
    const instrument = roles.instrument('instrument', here, 2, ['--heartbeat-ms', '250']);
    await instrument.waitFor('ready');
    const jobs = 2_000;
    const consumer = roles.consumer('consumer', here, { index: 1, jobs, ms: 10, progressEvery: 50 });
    await consumer.waitFor('progress', () => true, 30_000);

    const admin = new Redis(redis.server().url, { protocol: 2 });
    const keys = (await admin.keys(`orchestra:{${namespace}}:*`)).sort();
    // The consumer's mailbox is left alone: results lost in it are the consumer's to notice (a later step).
    const doomed = keys.filter((key) => !key.includes(':mailbox:consumer.'));
    expect(doomed).toEqual(expect.arrayContaining([expect.stringContaining(':lease:composer'), expect.stringContaining(':mailbox:composer')]));
    for (const key of doomed) {
      await admin.del(key);
      const seen = consumer.events.filter((event) => event.event === 'progress').length;
      // Jobs still settle after each loss.
      await consumer.waitFor('progress', () => consumer.events.filter((event) => event.event === 'progress').length > seen + 1, 30_000);
    }
    await consumer.waitFor('settled', () => true, 60_000);
    const report = await consumer.stop<ConsumerReport>();
    expect(report).toMatchObject({ added: jobs, settled: jobs, wrong: 0, failed: 0, missing: 0 });
    expect(first.events.some((event) => event.event === 'data-loss')).toBe(true);
    expect(overlaps()).toBe(0);
    await admin.quit();
    await Promise.all([first.stop(), standby.stop(), instrument.stop()]);
  }, 120_000);
});
