import { describe, expect, it } from '@jest/globals';
import { JobError, JobTimeoutError } from '@orchestra/core';
import { serializeError, waitUntil } from '@orchestra/core/internal';
import { setUpEachTest } from './support/consumer-under-test.js';

const setUp = setUpEachTest();

describe('settlement', () => {
  it('settles each result with its own outcome, in whatever order they arrive', async () => {
    const { consumer, composer } = setUp();
    const first = await consumer.addJob('echo.cjs', 1);
    const second = await consumer.addJob('echo.cjs', 2);
    const third = await consumer.addJob('echo.cjs', 3);
    await composer.submitted(3);
    await composer.settle(consumer.id, [
      { id: third.job.id, ok: true },
      { id: first.job.id, ok: true, result: '{"sum":3}' },
    ]);
    await composer.settle(consumer.id, [{ id: second.job.id, ok: false, error: serializeError(new RangeError('out of range')) }]);
    await expect(first.result).resolves.toEqual({ sum: 3 });
    await expect(third.result).resolves.toBeUndefined();
    const error = await second.result.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(JobError);
    expect(error).toMatchObject({ name: 'RangeError', message: 'out of range' });
    expect(consumer.stats()).toMatchObject({ pending: 0, duplicateSettlements: 0, keptResults: 0 });
  });

  it('rebuilds an Orchestra error as its own class', async () => {
    const { consumer, composer } = setUp();
    const { job, result } = await consumer.addJob('echo.cjs', 1);
    await composer.submitted(1);
    await composer.settle(consumer.id, [{ id: job.id, ok: false, error: serializeError(new JobTimeoutError(`${job.id} passed its timeout of 300 ms`)) }]);
    await expect(result).rejects.toBeInstanceOf(JobTimeoutError);
  });

  it('rejects a result whose JSON does not parse', async () => {
    const { consumer, composer } = setUp();
    const { job, result } = await consumer.addJob('echo.cjs', 1);
    await composer.submitted(1);
    await composer.settle(consumer.id, [{ id: job.id, ok: true, result: '{not json' }]);
    await expect(result).rejects.toBeInstanceOf(SyntaxError);
  });

  it('hands each progress value to its own job’s onProgress, in order, and logs a callback that throws', async () => {
    const { consumer, composer, logger } = setUp();
    const seen: [string, unknown][] = [];
    const quiet = await consumer.addJob('echo.cjs', 1, { onProgress: (value) => seen.push(['quiet', value]) });
    const loud = await consumer.addJob('echo.cjs', 2, {
      onProgress: (value) => {
        seen.push(['loud', value]);
        throw new TypeError('callback bug');
      },
    });
    const silent = await consumer.addJob('echo.cjs', 3);
    await composer.submitted(3);
    await composer.progress(consumer.id, [
      { id: quiet.job.id, value: { done: 1 } },
      { id: loud.job.id, value: 'half' },
      { id: silent.job.id, value: 0.5 },
      { id: 'someone.else', value: 1 },
      { id: quiet.job.id, value: { done: 2 } },
    ]);
    await waitUntil(() => seen.length === 3, 'three progress values were handed over');
    expect(seen).toEqual([
      ['quiet', { done: 1 }],
      ['loud', 'half'],
      ['quiet', { done: 2 }],
    ]);
    expect(logger.errors).toEqual([{ message: 'consumer: an onProgress callback threw', details: { error: expect.any(TypeError) } }]);
    // Progress settles nothing: the results still wait for their outcome.
    expect(consumer.stats().pending).toBe(3);
    await composer.settle(consumer.id, [{ id: quiet.job.id, ok: true, result: '1' }]);
    await expect(quiet.result).resolves.toBe(1);
  });

  it('counts, logs and sets aside a message that is not valid, and goes on', async () => {
    const { consumer, composer, logger } = setUp();
    const { job, result } = await consumer.addJob('echo.cjs', 1);
    await composer.submitted(1);
    await composer.send(consumer.id, { v: 1, type: 'settle', epoch: 1, settlements: [{ id: job.id, ok: 'yes' }] });
    await composer.send(consumer.id, { v: 99, type: 'settle', epoch: 1, settlements: [{ id: job.id, ok: true }] });
    await waitUntil(() => consumer.stats().invalidMessages === 2, 'both invalid messages were counted');
    expect(logger.warnings.map((warning) => warning.message)).toEqual([
      'consumer: set aside an invalid message',
      'consumer: set aside an invalid message',
    ]);
    expect(consumer.stats().pending).toBe(1);
    await composer.settle(consumer.id, [{ id: job.id, ok: true, result: '"fine"' }]);
    await expect(result).resolves.toBe('fine');
  });
});
