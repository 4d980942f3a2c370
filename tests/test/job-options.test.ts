import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import {
  InvalidArgumentError,
  JobCancelledError,
  JobError,
  JobTimeoutError,
  ThreadCrashedError,
  type Workspace,
} from '@orchestra/core';
import { waitUntil } from '@orchestra/network-conformance';
import { startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { fixtureWorkspace } from './support/orchestra.js';
import { redisMachine, type RedisMachine } from './support/redis-machine.js';

let server: RedisServer;
let machine: RedisMachine<Workspace> | undefined;
const scratch = mkdtempSync(join(tmpdir(), 'orchestra-options-'));
let files = 0;
const scratchFile = (name: string): string => join(scratch, `${name}-${(files += 1)}`);
const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').filter(Boolean) : []);

beforeAll(async () => {
  server = await startRedisServer();
});
afterEach(async () => {
  await machine?.close();
  machine = undefined;
});
afterAll(async () => {
  await server.stop();
});

function start(threads = 1): RedisMachine<Workspace> {
  machine = redisMachine(server.url, fixtureWorkspace(), { threads, instrument: { abortGraceMs: 300 } });
  return machine;
}

describe('job options, over a real Redis', () => {
  it('retries a failing job up to its attempts, waiting the backoff between runs', async () => {
    const { consumer, composer } = start();
    const log = scratchFile('flaky');
    const { result } = await consumer.addJob('flaky.cjs', { log, succeedOn: 3 }, { attempts: 3, backoff: { type: 'exponential', delay: 200 } });
    await expect(result).resolves.toEqual({ attempt: 3 });
    const runs = lines(log).map((line) => JSON.parse(line) as { attempt: number; at: number });
    expect(runs.map((run) => run.attempt)).toEqual([1, 2, 3]);
    // Exponential: 200 ms before the second run, 400 ms before the third (lower bounds, not speed).
    expect((runs[1]?.at ?? 0) - (runs[0]?.at ?? 0)).toBeGreaterThanOrEqual(200);
    expect((runs[2]?.at ?? 0) - (runs[1]?.at ?? 0)).toBeGreaterThanOrEqual(400);
    expect(composer.stats().retried).toBe(2);

    const short = scratchFile('flaky');
    const failing = await consumer.addJob('flaky.cjs', { log: short, succeedOn: 5 }, { attempts: 2, backoff: 50 });
    const error = await failing.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    expect(error).toMatchObject({ name: 'RangeError', message: 'run 2 fails on purpose' });
    expect(lines(short)).toHaveLength(2);
  });

  it('runs a job once by default: a failure is final', async () => {
    const { consumer } = start();
    const log = scratchFile('once');
    const { result } = await consumer.addJob('flaky.cjs', { log, succeedOn: 2 });
    await expect(result).rejects.toBeInstanceOf(JobError);
    expect(lines(log)).toHaveLength(1);
  });

  it('fails a run past its timeout, ends a thread that does not stop, and carries on', async () => {
    const { consumer, instrument } = start(1);
    const forever = await consumer.addJob('forever.cjs', {}, { timeout: 300 });
    const error = await forever.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobTimeoutError);
    expect((error as Error).message).toContain('timeout of 300 ms');
    // The one thread was ended and replaced: the next job runs.
    await expect((await consumer.addJob('add-handler.cjs', { a: 2, b: 3 })).result).resolves.toBe(5);

    const marker = scratchFile('marker');
    const polite = await consumer.addJob('until-aborted.cjs', { marker }, { timeout: 300 });
    await expect(polite.result).rejects.toBeInstanceOf(JobTimeoutError);
    // The script's signal fired with the timeout error before anything was ended.
    expect(JSON.parse(readFileSync(marker, 'utf8'))).toEqual({ name: 'JobTimeoutError', code: 'ORCHESTRA_JOB_TIMEOUT' });
    expect(instrument.stats().stopped).toBe(2);
  });

  it('cancels a job that is running and one that waits; the running one has its signal fired, and its thread is freed', async () => {
    const { consumer, instrument } = start(1);
    const running = await consumer.addJob('forever.cjs', {});
    await waitUntil(() => instrument.stats().busy === 1, 'the job runs');
    const waiting = await consumer.addJob('add-handler.cjs', { a: 1, b: 1 });
    await consumer.cancel(waiting.job.id);
    await expect(waiting.result).rejects.toBeInstanceOf(JobCancelledError);
    await consumer.cancel(running.job.id);
    await expect(running.result).rejects.toBeInstanceOf(JobCancelledError);
    await expect((await consumer.addJob('add-handler.cjs', { a: 4, b: 4 })).result).resolves.toBe(8);

    const marker = scratchFile('cancel-marker');
    const polite = await consumer.addJob('until-aborted.cjs', { marker });
    await waitUntil(() => instrument.stats().busy === 1, 'the polite job runs');
    await consumer.cancel(polite.job.id);
    await expect(polite.result).rejects.toBeInstanceOf(JobCancelledError);
    await waitUntil(() => existsSync(marker), 'the script saw its signal');
    expect(JSON.parse(readFileSync(marker, 'utf8'))).toEqual({ name: 'JobCancelledError', code: 'ORCHESTRA_JOB_CANCELLED' });
    // Cancelling a settled job changes nothing.
    await consumer.cancel(polite.job.id);
  });

  it('fails a job that keeps crashing its thread once its attempts are spent: a poison job never loops', async () => {
    const { consumer, composer } = start(1);
    const log = scratchFile('poison');
    const { result } = await consumer.addJob('crash-count.cjs', { log }, { attempts: 3 });
    await expect(result).rejects.toBeInstanceOf(ThreadCrashedError);
    expect(lines(log)).toEqual(['1', '2', '3']);
    expect(composer.stats()).toMatchObject({ retried: 2, failed: 1 });
    // And the instrument still works.
    await expect((await consumer.addJob('add-handler.cjs', { a: 1, b: 2 })).result).resolves.toBe(3);
  });

  it('range-checks job options at addJob and sends nothing', async () => {
    const { consumer } = start();
    const bad: object[] = [
      { attempts: 0 },
      { attempts: 101 },
      { attempts: 1.5 },
      { timeout: 0 },
      { timeout: Number.NaN },
      { timeout: 2 ** 31 },
      { backoff: -1 },
      { backoff: { type: 'linear', delay: 10 } },
      { backoff: { type: 'fixed', delay: '10' } },
      { priority: Number.POSITIVE_INFINITY },
    ];
    for (const options of bad) {
      await expect(consumer.addJob('add-handler.cjs', { a: 1, b: 1 }, options)).rejects.toBeInstanceOf(InvalidArgumentError);
    }
    expect(consumer.stats().pending).toBe(0);
    await expect(consumer.cancel('not an id!')).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
