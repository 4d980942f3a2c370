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
});
