import { describe, expect, it } from '@jest/globals';
import { InvalidArgumentError, JobError, type Logger } from '@orchestra/core';
// Loaded up front: a run imports the roles all at once (Promise.all of dynamic imports), and Jest's ESM
// loader cannot link a module that several of those imports first request together ("not in cache").
import '@orchestra/core/internal';
import type { Completed, FactorySummary, FailedItem } from '../src/index.js';
import { numbersFactory, type Times10 } from './fixtures/numbers.mjs';

/** Everything a run emitted, in order. */
type Seen =
  | { event: 'completed'; done: Completed<number, Times10> }
  | { event: 'error'; error: Error; failed: FailedItem<number> | undefined }
  | { event: 'finished'; summary: FactorySummary<number> }
  | { event: 'managerFinish' };

function recorded(manager: () => unknown, options = {}): { start: () => Promise<FactorySummary<number>>; seen: Seen[] } {
  const seen: Seen[] = [];
  const factory = numbersFactory(manager, { threads: 1, ...options }, () => seen.push({ event: 'managerFinish' }));
  factory.on('completed', (done) => seen.push({ event: 'completed', done }));
  factory.on('error', (error, failed) => seen.push({ event: 'error', error, failed }));
  factory.on('finished', (summary) => seen.push({ event: 'finished', summary }));
  return { start: () => factory.start(), seen };
}

const completed = (seen: Seen[]): Completed<number, Times10>[] =>
  seen.flatMap((e) => (e.event === 'completed' ? [e.done] : [])).sort((a, b) => a.index - b.index);

describe('a ThreadFactory run', () => {
  it('completes every item on the threads, then runs managerFinish, then finishes with the summary start() resolves', async () => {
    const { start, seen } = recorded(() => Promise.resolve([1, 2, 3]));
    const run = start();
    expect(start()).toBe(run);
    const summary = await run;
    expect(completed(seen)).toEqual([
      { index: 0, item: 1, result: { value: 10, attempt: 1 } },
      { index: 1, item: 2, result: { value: 20, attempt: 1 } },
      { index: 2, item: 3, result: { value: 30, attempt: 1 } },
    ]);
    expect(seen.slice(-2).map((e) => e.event)).toEqual(['managerFinish', 'finished']);
    expect(summary).toEqual({ items: 3, completed: 3, failed: 0, failures: [], elapsedMs: expect.any(Number) });
    expect(seen.at(-1)).toEqual({ event: 'finished', summary });
  });

  it('emits error with the item for each one that fails, while the others carry on, and lists the failures by index', async () => {
    const { start, seen } = recorded(() => [-2, 4, -1]);
    const summary = await start();
    expect(completed(seen)).toEqual([{ index: 1, item: 4, result: { value: 40, attempt: 1 } }]);
    const errors = seen.flatMap((e) => (e.event === 'error' ? [e] : []));
    expect(errors.map((e) => e.failed).sort((a, b) => (a?.index ?? 0) - (b?.index ?? 0))).toEqual([
      { index: 0, item: -2 },
      { index: 2, item: -1 },
    ]);
    for (const { error } of errors) expect(error).toBeInstanceOf(JobError);
    expect(summary).toMatchObject({ items: 3, completed: 1, failed: 2 });
    expect(summary.failures.map(({ index, item, error }) => [index, item, error.name, error.message])).toEqual([
      [0, -2, 'TypeError', 'item -2 is bad'],
      [2, -1, 'TypeError', 'item -1 is bad'],
    ]);
  });

  it('passes attempts on to every item', async () => {
    const once = await recorded(() => [0]).start();
    expect(once).toMatchObject({ completed: 0, failed: 1 });
    const twice = recorded(() => [0], { attempts: 2 });
    expect(await twice.start()).toMatchObject({ completed: 1, failed: 0 });
    expect(completed(twice.seen)).toEqual([{ index: 0, item: 0, result: { value: 0, attempt: 2 } }]);
  });

  it.each([
    ['rejects', (): Promise<number[]> => Promise.reject(new RangeError('no list today')), RangeError, 'no list today'],
    ['resolves something other than an array', (): unknown => ({ not: 'an array' }), InvalidArgumentError, 'ThreadFactory: manager must resolve an array of items, got object'],
  ])('emits error with no item, then finished, when the manager %s', async (_, manager, type, message) => {
    const { start, seen } = recorded(manager);
    const summary = await start();
    expect(seen.map((e) => e.event)).toEqual(['error', 'managerFinish', 'finished']);
    expect(seen[0]).toEqual({ event: 'error', error: expect.any(type), failed: undefined });
    expect((seen[0] as { error: Error }).error.message).toBe(message);
    expect(summary).toMatchObject({ items: 0, completed: 0, failed: 0, failures: [] });
  });

  it('logs errors when nobody listens for them', async () => {
    const errors: string[] = [];
    const logger: Logger = { warn: () => undefined, error: (message) => errors.push(message) };
    const summary = await numbersFactory(() => [5, -5], { threads: 1, logger }).start();
    expect(summary).toMatchObject({ completed: 1, failed: 1 });
    expect(errors).toEqual(['ThreadFactory: item 1 failed']);
  });

  it.each([0, 1.5, '2'])('refuses threads: %j, naming it', (threads) => {
    expect(() => numbersFactory(() => [], { threads: threads as number })).toThrow(
      new InvalidArgumentError(`ThreadFactory: threads must be an integer of at least 1, got ${String(threads)}`),
    );
  });
});
