import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Composer } from '@orchestra/composer';
import { Consumer } from '@orchestra/consumer';
import { JobOutOfMemoryError, ThreadCrashedError, type Workspace } from '@orchestra/core';
import { waitUntil } from '@orchestra/core/internal';
import { Instrument } from '@orchestra/instrument';
import { MemNetwork } from '@orchestra/network-mem';
import { closeRoles, fixtureWorkspace } from './support/orchestra.js';

const LIMIT_MB = 32;
/** How far the process may grow while the greedy job runs: a few threads' worth, nowhere near V8's default heap of several GB. */
const GROWTH_BOUND = 512 * 1024 * 1024;

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new RangeError('expected the promise to reject');
}

describe('a memory limit per thread', () => {
  const network = new MemNetwork();
  let composer: Composer;
  let instrument: Instrument;
  let consumer: Consumer<Workspace>;
  beforeAll(() => {
    composer = new Composer(network);
    instrument = new Instrument(network, fixtureWorkspace(), 2, { resourceLimits: { maxOldGenerationSizeMb: LIMIT_MB } });
    consumer = new Consumer(network, fixtureWorkspace());
  });
  afterAll(() => closeRoles({ network, composer, instrument, consumer }));

  it('fails a job that allocates without end with JobOutOfMemoryError, once; the other jobs and both threads carry on', async () => {
    const log = join(mkdtempSync(join(tmpdir(), 'orchestra-memory-')), 'greedy.log');
    const rssBefore = process.memoryUsage().rss;
    const peakBefore = process.resourceUsage().maxRSS * 1024;

    const before = await Promise.all(Array.from({ length: 20 }, (_, i) => consumer.addJob('add-handler.cjs', { a: i, b: 0 })));
    // Attempts to spare: an out-of-memory job is not run again all the same.
    const greedy = await consumer.addJob('eat-memory.cjs', { log }, { attempts: 3 });
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => consumer.addJob('add-handler.cjs', { a: i, b: 1 })));

    const error = await rejection(greedy.result);
    expect(error).toBeInstanceOf(JobOutOfMemoryError);
    expect(error).toBeInstanceOf(ThreadCrashedError);
    expect(error.code).toBe('ORCHESTRA_JOB_OUT_OF_MEMORY');
    expect(error.message).toBe(
      `Job ${greedy.job.id} (eat-memory.cjs) ran out of memory: over maxOldGenerationSizeMb (${LIMIT_MB} MB) of its thread; ` +
        'raise resourceLimits.maxOldGenerationSizeMb or make the job use less',
    );
    // Only its first attempt ran (twice when it was batched with others: once in the batch it killed, once alone).
    expect(new Set(readFileSync(log, 'utf8').trim().split('\n'))).toEqual(new Set(['1']));
    expect(await Promise.all(before.map((a) => a.result))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await Promise.all(after.map((a) => a.result))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    // The thread the job filled was ended, not the process grown to V8's default heap limit.
    expect(process.resourceUsage().maxRSS * 1024).toBeLessThan(Math.max(peakBefore, rssBefore + GROWTH_BOUND));

    // Both threads are back: jobs that each hold a thread for a while run on two threads.
    const spins = await Promise.all(Array.from({ length: 4 }, () => consumer.addJob('spin.cjs', { ms: 200 })));
    expect(new Set(await Promise.all(spins.map((s) => s.result))).size).toBe(2);
    await waitUntil(() => instrument.stats().held === 0, 'the instrument holds nothing', 10_000);
    expect(instrument.stats()).toMatchObject({ threads: 2, busy: 0, held: 0 });
  });
});
