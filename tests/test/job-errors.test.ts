import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  isOrchestraError,
  JobError,
  JobScriptError,
  NotSerializableError,
  OrchestraError,
  ThreadCrashedError,
  type Workspace,
} from '@orchestra/core';
import { fixtureWorkspace, oneMachine, type OneMachine } from './support/orchestra.js';

async function rejection(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await promise;
  } catch (error) {
    return error as Error & { code?: string };
  }
  throw new JobScriptError('expected the promise to reject');
}

describe('errors from jobs', () => {
  let net: OneMachine<Workspace>;
  beforeAll(() => {
    net = oneMachine(fixtureWorkspace(), 2);
  });
  afterAll(() => net.close());

  it('a job that rejects keeps name, message, code, cause and stack', async () => {
    const { result } = await net.consumer.addJob('fail.cjs', {});
    const error = await rejection(result);
    expect(error).toBeInstanceOf(JobError);
    expect(error).toBeInstanceOf(OrchestraError);
    expect(isOrchestraError(error)).toBe(true);
    expect(error.name).toBe('QuotaError');
    expect(error.message).toBe('quota exceeded');
    expect(error.code).toBe('E_QUOTA');
    expect(error.stack).toContain('fail.cjs');
    const cause = error.cause as Error;
    expect(cause.name).toBe('TypeError');
    expect(cause.message).toBe('inner cause');
  });

  it('worker.reject(error) in an imperative script reaches the consumer', async () => {
    const { result } = await net.consumer.addJob('reject.js', { value: 7 });
    const error = await rejection(result);
    expect(error.name).toBe('RangeError');
    expect(error.message).toBe('bad value 7');
    expect(error.code).toBe('E_RANGE');
  });

  it.each(['function-result.cjs', 'circular-result.cjs'])('a result that cannot cross a thread (%s) fails that job clearly', async (script) => {
    const { result } = await net.consumer.addJob(script, {});
    const error = await rejection(result);
    expect(error).toBeInstanceOf(NotSerializableError);
    expect(error.code).toBe('ORCHESTRA_NOT_SERIALIZABLE');
    expect(error.message).toMatch(/cannot be sent/);
  });

  it('a script with neither a Worker nor a handler fails with JobScriptError', async () => {
    const { result } = await net.consumer.addJob('no-style.cjs', {});
    const error = await rejection(result);
    expect(error).toBeInstanceOf(JobScriptError);
  });

  it.each(['exit.cjs', 'timer-throw.cjs'])('a script that crashes its thread (%s) fails only that job; the pool keeps working', async (script) => {
    const before = await Promise.all(Array.from({ length: 20 }, (_, i) => net.consumer.addJob('add-handler.cjs', { a: i, b: 0 })));
    const crash = await net.consumer.addJob(script, {});
    const after = await Promise.all(Array.from({ length: 20 }, (_, i) => net.consumer.addJob('add-handler.cjs', { a: i, b: 1 })));
    const error = await rejection(crash.result);
    expect(error).toBeInstanceOf(ThreadCrashedError);
    expect(error.code).toBe('ORCHESTRA_THREAD_CRASHED');
    expect(await Promise.all(before.map((a) => a.result))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(await Promise.all(after.map((a) => a.result))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    const { result } = await net.consumer.addJob('add.js', { a: 20, b: 22 });
    await expect(result).resolves.toBe(42);
  });
});
