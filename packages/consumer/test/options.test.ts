import { afterAll, describe, expect, it } from '@jest/globals';
import { InvalidArgumentError } from '@orchestra/core';
import { WIRE_LIMITS } from '@orchestra/core/internal';
import { MemNetwork } from '@orchestra/network-mem';
import { Consumer, type ConsumerOptions, type JobOptions } from '../src/index.js';
import { setUpEachTest, workspace } from './support/consumer-under-test.js';

const setUp = setUpEachTest();

describe('Consumer options', () => {
  // Every consumer here is refused before it receives anything: one network serves them all.
  const network = new MemNetwork();
  afterAll(() => network.close());

  it.each<[ConsumerOptions, string]>([
    [{ maxParamsBytes: 0 }, 'maxParamsBytes must be an integer of at least 1, got 0'],
    [{ maxParamsBytes: 1.5 }, 'maxParamsBytes must be an integer of at least 1, got 1.5'],
    [{ maxPending: 0 }, 'maxPending must be an integer of at least 1, got 0'],
    [{ maxPending: '10' as never }, 'maxPending must be an integer of at least 1, got 10'],
    [{ resultTtlMs: 999 }, `resultTtlMs must be an integer from 1000 to ${WIRE_LIMITS.maxMillis}, got 999`],
    [{ resultTtlMs: WIRE_LIMITS.maxMillis + 1 }, `resultTtlMs must be an integer from 1000 to ${WIRE_LIMITS.maxMillis}, got ${WIRE_LIMITS.maxMillis + 1}`],
  ])('refuses %j with an InvalidArgumentError naming it', (options, message) => {
    expect(() => new Consumer(network, workspace, options)).toThrow(new InvalidArgumentError(message));
  });

  it('refuses something that is not a workspace', () => {
    expect(() => new Consumer(network, {} as never)).toThrow(new InvalidArgumentError('workspace must be a Workspace'));
  });

  it('sends resultTtlMs with every submission', async () => {
    const setup = setUp({ resultTtlMs: 5_000 });
    await setup.consumer.addJob('echo.cjs', 1);
    await setup.composer.submitted(1);
    expect(setup.composer.submits).toEqual([expect.objectContaining({ consumer: setup.consumer.id, resultTtlMs: 5_000 })]);
  });
});

describe('addJob options', () => {
  it.each<[JobOptions, string]>([
    [{ priority: 1.5 }, 'priority must be an integer from -1000000 to 1000000, got 1.5'],
    [{ priority: 1_000_001 }, 'priority must be an integer from -1000000 to 1000000, got 1000001'],
    [{ attempts: 0 }, 'attempts must be an integer from 1 to 100, got 0'],
    [{ attempts: 101 }, 'attempts must be an integer from 1 to 100, got 101'],
    [{ backoff: -1 }, `backoff must be an integer from 0 to ${WIRE_LIMITS.maxMillis}, got -1`],
    [{ backoff: { type: 'linear', delay: 1 } as never }, "backoff must be a number of ms or { type: 'fixed' | 'exponential', delay }"],
    [{ backoff: { type: 'fixed', delay: 0.5 } }, `backoff.delay must be an integer from 0 to ${WIRE_LIMITS.maxMillis}, got 0.5`],
    [{ timeout: 0 }, `timeout must be an integer from 1 to ${WIRE_LIMITS.maxMillis}, got 0`],
    [{ onProgress: 'log' as never }, 'onProgress must be a function'],
    [{ wait: 'yes' as never }, 'wait must be a boolean'],
  ])('refuses %j with an InvalidArgumentError naming it, and sends nothing', async (options, message) => {
    const setup = setUp();
    await expect(setup.consumer.addJob('echo.cjs', 1, options)).rejects.toThrow(new InvalidArgumentError(message));
    // Messages to one mailbox arrive in send order: once the next job is in, nothing came before it.
    const { job } = await setup.consumer.addJob('echo.cjs', 2);
    expect((await setup.composer.submitted(1)).map((spec) => spec.id)).toEqual([job.id]);
    expect(setup.consumer.stats().pending).toBe(1);
  });

  it('sends the run options in the job spec, leaving the defaults out', async () => {
    const setup = setUp();
    await setup.consumer.addJob('echo.cjs', { a: 1 }, { priority: 5, attempts: 3, backoff: 100, timeout: 1_000 });
    await setup.consumer.addJob('echo.cjs', undefined, { priority: 0, attempts: 1, backoff: { type: 'exponential', delay: 0 } });
    await setup.consumer.addJob('echo.cjs', 7, { backoff: { type: 'exponential', delay: 50 } });
    const [tuned, plain, exponential] = await setup.composer.submitted(3);
    expect(tuned).toEqual({
      id: expect.any(String),
      script: 'echo.cjs',
      params: '{"a":1}',
      priority: 5,
      attempts: 3,
      backoff: { type: 'fixed', delay: 100 },
      timeout: 1_000,
    });
    expect(plain).toEqual({ id: expect.any(String), script: 'echo.cjs' });
    expect(exponential).toEqual({ id: expect.any(String), script: 'echo.cjs', params: '7', backoff: { type: 'exponential', delay: 50 } });
  });

  it('sends jobs added in the same tick in one submit message', async () => {
    const setup = setUp();
    const { consumer } = setup;
    await Promise.all([consumer.addJob('echo.cjs', 1), consumer.addJob('echo.cjs', 2), consumer.addJob('echo.cjs', 3)]);
    await setup.composer.submitted(3);
    expect(setup.composer.submits.map((message) => message.jobs.map((spec) => spec.params))).toEqual([['1', '2', '3']]);
  });
});
