import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { fixtureWorkspace, oneMachine, type OneMachine } from './support/orchestra.js';
import type { Workspace } from '@orchestra/core';

describe('one machine over MemNetwork', () => {
  let net: OneMachine<Workspace>;
  beforeAll(() => {
    net = oneMachine(fixtureWorkspace(), 2);
  });
  afterAll(() => net.close());

  it("runs the document's add job: { job, result } with job.id, and result 3", async () => {
    const { job, result } = await net.consumer.addJob('add.js', { a: 1, b: 2 });
    expect(typeof job.id).toBe('string');
    expect(job.id.length).toBeGreaterThan(10);
    expect(job.script).toBe('add.js');
    await expect(result).resolves.toBe(3);
  });

  it.each(['add.js', 'add.mjs', 'add-handler.cjs', 'add-handler.mjs'])('runs %s (imperative and handler, CommonJS and ESM) once per job', async (script) => {
    const added = await Promise.all(Array.from({ length: 200 }, (_, i) => net.consumer.addJob(script, { a: i, b: 1000 })));
    const results = await Promise.all(added.map((a) => a.result));
    expect(results).toEqual(Array.from({ length: 200 }, (_, i) => i + 1000));
  });

  it('returns the right result for each of 10,000 jobs', async () => {
    const added = await Promise.all(Array.from({ length: 10_000 }, (_, i) => net.consumer.addJob('add.js', { a: i, b: i })));
    expect(new Set(added.map((a) => a.job.id)).size).toBe(10_000);
    const results = await Promise.all(added.map((a) => a.result));
    let wrong = 0;
    results.forEach((r, i) => {
      if (r !== 2 * i) wrong += 1;
    });
    expect(wrong).toBe(0);
  });

  it('delivers progress values in order, then the result', async () => {
    const seen: unknown[] = [];
    const { result } = await net.consumer.addJob('progress.js', undefined, { onProgress: (v) => seen.push(v) });
    await expect(result).resolves.toBe('done');
    expect(seen).toEqual([{ step: 1 }, { step: 2 }]);
  });

  it('keeps every job apart: a failing job does not disturb the others', async () => {
    const good = await net.consumer.addJob('add-handler.cjs', { a: 2, b: 2 });
    const bad = await net.consumer.addJob('fail.cjs', {});
    await expect(bad.result).rejects.toThrow('quota exceeded');
    await expect(good.result).resolves.toBe(4);
  });
});
