import { readFileSync } from 'node:fs';
import { expect } from '@jest/globals';

/** One line a ThreadFactory fixture wrote to its events file (see fixtures/factory). */
export interface Event {
  event: string;
  thread?: number;
  key?: string;
  resume?: string;
  [field: string]: unknown;
}

/** Reads a fixture's events file. */
export function events(file: string): Event[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Event);
}

/** Checks one run of the document's example: every item once, hooks and events in the document's order. */
export function expectDocumentOrder(seen: readonly Event[], names: readonly string[], threads: number): void {
  const at = (predicate: (e: Event) => boolean): number[] => seen.flatMap((e, i) => (predicate(e) ? [i] : []));
  const processed = seen.filter((e) => e.event === 'workerProcess');
  // Every item processed exactly once, across all threads.
  expect(processed.map((e) => e.key).sort()).toEqual([...names].sort());
  expect(seen.filter((e) => e.event === 'completed').map((e) => e.key).sort()).toEqual([...names].sort());
  expect(at((e) => e.event === 'manager')).toEqual([0]);
  const finished = at((e) => e.event === 'finished');
  expect(finished).toEqual([seen.length - 1]);
  const managerFinish = at((e) => e.event === 'managerFinish');
  expect(managerFinish).toEqual([seen.length - 2]);
  const threadIds = [...new Set(processed.map((e) => e.thread))];
  expect(threadIds.length).toBeLessThanOrEqual(threads);
  for (const thread of threadIds) {
    const mine = (name: string): number[] => at((e) => e.event === name && e.thread === thread);
    // workerStartup once before the thread's first item; workerFinish once after its last, before managerFinish.
    expect(mine('workerStartup')).toHaveLength(1);
    expect(mine('workerFinish')).toHaveLength(1);
    expect(mine('workerStartup')[0]).toBeLessThan(Math.min(...mine('workerProcess')));
    expect(mine('workerFinish')[0]).toBeGreaterThan(Math.max(...mine('workerProcess')));
    expect(mine('workerFinish')[0]).toBeLessThan(managerFinish[0] as number);
    // resume.id: one per thread, the same for its whole life.
    expect(new Set(processed.filter((e) => e.thread === thread).map((e) => e.resume)).size).toBe(1);
  }
  expect(new Set(processed.map((e) => e.resume)).size).toBe(threadIds.length);
  for (const completed of at((e) => e.event === 'completed')) expect(completed).toBeLessThan(managerFinish[0] as number);
}
