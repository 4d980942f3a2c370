import { describe, expect, it } from '@jest/globals';
import { BatchSizer } from '../src/batch-sizer.js';

describe('BatchSizer', () => {
  it('batches tiny jobs, up to maxJobsPerTask, but never starves a thread', () => {
    const sizer = new BatchSizer(2, 128);
    for (let i = 0; i < 20; i += 1) sizer.record(0.1, 100);
    expect(sizer.batchSize(10_000)).toBe(128);
    expect(sizer.batchSize(10)).toBe(5);
    expect(sizer.creditTarget()).toBe(2 * (2 * 128 + 1));
  });
  it('hands slow jobs out one at a time with a small prefetch', () => {
    const sizer = new BatchSizer(4, 128);
    for (let i = 0; i < 20; i += 1) sizer.record(200, 1);
    expect(sizer.batchSize(1000)).toBe(1);
    expect(sizer.creditTarget()).toBe(12);
  });
});
