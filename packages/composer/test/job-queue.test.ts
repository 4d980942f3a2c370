import { describe, expect, it } from '@jest/globals';
import { JobQueue } from '../src/job-queue.js';

describe('JobQueue', () => {
  it('takes higher priority first, first in first out within a priority', () => {
    const queue = new JobQueue<string>();
    for (let i = 0; i < 40; i += 1) queue.push(`low${i}`, 0);
    queue.push('high', 5);
    queue.unshift('back', 0);
    const out: string[] = [];
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) out.push(item);
    expect(out[0]).toBe('high');
    expect(out[1]).toBe('back');
    expect(out.slice(2)).toEqual(Array.from({ length: 40 }, (_, i) => `low${i}`));
    expect(queue.size).toBe(0);
  });

  it('orders many distinct priorities, taken and added in turns, highest first and in order within each', () => {
    const queue = new JobQueue<{ priority: number; n: number }>();
    // A small deterministic generator: priorities from -500 to 499, many repeated.
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648);
    const expected: { priority: number; n: number }[] = [];
    const out: { priority: number; n: number }[] = [];
    let n = 0;
    for (let round = 0; round < 50; round += 1) {
      for (let i = 0; i < 200; i += 1) {
        const job = { priority: (next() % 1000) - 500, n: (n += 1) };
        queue.push(job, job.priority);
        expected.push(job);
      }
      // Take some in between: each taken job is the best of what is queued at that moment.
      for (let i = 0; i < 150; i += 1) {
        expected.sort((a, b) => b.priority - a.priority || a.n - b.n);
        const best = expected.shift();
        out.push(queue.shift() as { priority: number; n: number });
        expect(out.at(-1)).toBe(best);
      }
    }
    expect(queue.size).toBe(expected.length);
    expected.sort((a, b) => b.priority - a.priority || a.n - b.n);
    for (const job of expected) expect(queue.shift()).toBe(job);
    expect(queue.shift()).toBeUndefined();
    expect(queue.size).toBe(0);
    // An emptied queue takes new levels again.
    queue.push({ priority: 3, n: 0 }, 3);
    expect(queue.shift()).toEqual({ priority: 3, n: 0 });
  });
});
