import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Composer } from '@orchestra/composer';
import { Consumer } from '@orchestra/consumer';
import { type Network, Workspace } from '@orchestra/core';
import { Instrument } from '@orchestra/instrument';
import { waitUntil } from '@orchestra/network-conformance';
import { MemNetwork } from '@orchestra/network-mem';
import { RedisNetwork } from '@orchestra/network-redis';
import { startRedisServer } from '@orchestra/redis-server';
import { closeRoles, fixtureRoot } from './support/orchestra.js';

/** The labels jobs wrote when they started, in order. */
function started(log: string): number[] {
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .trim()
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => (JSON.parse(line) as { a: number }).a);
}

// Label → priority, added in this order: neither sorted by priority nor by label, with ties added apart.
const mixed: ReadonlyArray<readonly [label: number, priority: number]> = [
  [1, 0],
  [2, 5],
  [3, -2],
  [4, 5],
  [5, 10],
  [6, 0],
  [7, -2],
  [8, 10],
  [9, 1],
  [10, 5],
];
// Highest priority first; equal priorities in the order they were added.
const expected = [5, 8, 2, 4, 10, 9, 1, 6, 3, 7];

/**
 * One instrument with one thread, busy with a job that holds it; jobs of mixed priorities are queued at
 * the composer behind it; once it is released they must run highest priority first.
 */
async function priorityRun(network: Network): Promise<number[]> {
  const dir = mkdtempSync(join(tmpdir(), 'orchestra-priority-'));
  const log = join(dir, 'started.ldjson');
  const release = join(dir, 'release');
  const workspace = new Workspace(fixtureRoot);
  const composer = new Composer(network);
  // maxBatch 1: the instrument asks for as few jobs ahead of its thread as it can (3 in all).
  const instrument = new Instrument(network, workspace, 1, { maxBatch: 1 });
  const consumer = new Consumer(network, workspace);
  try {
    const results: Promise<unknown>[] = [];
    const add = async (label: number, priority: number, script = 'hold-until-released.cjs'): Promise<void> => {
      const { result } = await consumer.addJob(script, { a: label, b: 0, ms: 0, log, release }, { priority });
      results.push(result);
    };
    // The blocker holds the only thread; the two after it fill what the instrument takes ahead.
    await add(100, 0);
    await waitUntil(() => started(log).length === 1, 'the blocker started', 15_000);
    await add(101, 0, 'slow-marked.cjs');
    await add(102, 0, 'slow-marked.cjs');
    await waitUntil(() => composer.stats().running === 3, 'the instrument holds three jobs', 15_000);
    for (const [label, priority] of mixed) await add(label, priority, 'slow-marked.cjs');
    await waitUntil(() => composer.stats().queued === mixed.length, 'every mixed job is queued at the composer', 15_000);
    expect(started(log)).toEqual([100]);
    writeFileSync(release, '');
    await Promise.all(results);
    return started(log);
  } finally {
    writeFileSync(release, '');
    await closeRoles({ network, composer, instrument, consumer });
  }
}

describe('priority, end to end', () => {
  it('runs jobs queued behind a busy instrument highest priority first, equal priorities in order (MemNetwork)', async () => {
    expect(await priorityRun(new MemNetwork())).toEqual([100, 101, 102, ...expected]);
  }, 60_000);

  it('does the same over Redis', async () => {
    const server = await startRedisServer();
    try {
      expect(await priorityRun(new RedisNetwork(server.url, { namespace: 'priority' }))).toEqual([100, 101, 102, ...expected]);
    } finally {
      await server.stop();
    }
  }, 60_000);
});
