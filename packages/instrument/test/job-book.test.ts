import { describe, expect, it } from '@jest/globals';
import { BatchSizer } from '../src/batch-sizer.js';
import { JobBook } from '../src/job-book.js';
import type { BatchRun, LocalJob } from '../src/local-job.js';

const job = (id: string, extra: Partial<LocalJob> = {}): LocalJob => ({ id, attempt: 1, script: 'echo.cjs', file: '/echo.cjs', ...extra });

/** A sizer that has seen tiny jobs: on time alone, it would put up to `maxJobsPerTask` in a batch. */
function tinyJobSizer(threads: number, maxJobsPerTask: number): BatchSizer {
  const sizer = new BatchSizer(threads, maxJobsPerTask);
  for (let i = 0; i < 30; i += 1) sizer.record(0.1, 100);
  return sizer;
}

/** Forms batches until the book gives no more, and lists each batch's job ids. */
function drainBatches(book: JobBook): string[][] {
  const batches: string[][] = [];
  for (let batch = book.nextBatch(); batch !== undefined; batch = book.nextBatch()) batches.push(batch.jobs.map((j) => j.id));
  return batches;
}

describe('JobBook: batch formation', () => {
  it('puts a job that runs alone (one with a timeout) in a batch of its own, and ends the batch before it', () => {
    const book = new JobBook(tinyJobSizer(1, 128), 100);
    for (const id of ['a', 'b', 'c']) book.queue(job(id));
    book.queue(job('timed', { timeout: 500, alone: true }));
    for (const id of ['d', 'e']) book.queue(job(id));
    expect(drainBatches(book)).toEqual([['a', 'b', 'c'], ['timed'], ['d', 'e']]);
  });

  it('never puts more than maxJobsPerTask jobs in a batch', () => {
    const book = new JobBook(tinyJobSizer(1, 4), 100);
    for (let i = 0; i < 10; i += 1) book.queue(job(`j${i}`));
    expect(drainBatches(book).map((batch) => batch.length)).toEqual([4, 4, 2]);
  });

  it('spreads what is queued over the threads, so none idles while another has a backlog', () => {
    const book = new JobBook(tinyJobSizer(4, 128), 100);
    for (let i = 0; i < 10; i += 1) book.queue(job(`j${i}`));
    // ceil(10 / 4), then ceil(7 / 4), ceil(5 / 4), ceil(3 / 4)…
    expect(drainBatches(book).map((batch) => batch.length)).toEqual([3, 2, 2, 1, 1, 1]);
  });

  it('hands out slow jobs one at a time', () => {
    const sizer = new BatchSizer(1, 128);
    for (let i = 0; i < 30; i += 1) sizer.record(50, 1);
    const book = new JobBook(sizer, 100);
    for (let i = 0; i < 3; i += 1) book.queue(job(`j${i}`));
    expect(drainBatches(book)).toEqual([['j0'], ['j1'], ['j2']]);
  });

  it('keeps no more batches in flight than it is allowed, and forms the next once one finishes', () => {
    const book = new JobBook(new BatchSizer(1, 1), 2);
    for (let i = 0; i < 3; i += 1) book.queue(job(`j${i}`));
    const first = book.nextBatch() as BatchRun;
    expect(book.nextBatch()?.jobs.map((j) => j.id)).toEqual(['j1']);
    expect(book.nextBatch()).toBeUndefined();
    expect(book).toMatchObject({ batchCount: 2, queued: 1, held: 3 });
    book.finish(first);
    expect(book).toMatchObject({ batchCount: 1, queued: 1, held: 2 });
    // Finishing a batch twice (its thread died after it returned) counts it out once.
    book.finish(first);
    expect(book.held).toBe(2);
    expect(book.nextBatch()?.jobs.map((j) => j.id)).toEqual(['j2']);
  });
});

describe('JobBook: what it holds', () => {
  it('takes a queued job out, so it never runs; a job not queued is not found', () => {
    const book = new JobBook(new BatchSizer(1, 1), 1);
    for (const id of ['running', 'a', 'b']) book.queue(job(id));
    const running = book.nextBatch() as BatchRun;
    expect(book.takeQueued('a')?.id).toBe('a');
    expect(book.takeQueued('a')).toBeUndefined();
    expect(book.takeQueued('running')).toBeUndefined();
    expect(book.held).toBe(2);
    book.finish(running);
    expect(drainBatches(book)).toEqual([['b']]);
  });

  it('puts the jobs of a crashed batch first in line, each alone', () => {
    const book = new JobBook(tinyJobSizer(1, 128), 100);
    book.queue(job('later'));
    book.queueFirstAlone([job('x'), job('y')]);
    expect(drainBatches(book)).toEqual([['x'], ['y'], ['later']]);
  });

  it('finds the batch that runs a given run alone, and only that one', () => {
    const book = new JobBook(tinyJobSizer(1, 128), 100);
    book.queue(job('timed', { attempt: 2, timeout: 100, alone: true }));
    book.queue(job('a'));
    book.queue(job('b'));
    const timed = book.nextBatch();
    book.nextBatch();
    expect(book.aloneBatchOf('timed', 2)).toBe(timed);
    expect(book.aloneBatchOf('timed', 1)).toBeUndefined();
    expect(book.aloneBatchOf('a', 1)).toBeUndefined();
  });

  it('drops what is queued, and keeps counting what is in flight', () => {
    const book = new JobBook(new BatchSizer(1, 1), 1);
    for (const id of ['running', 'a', 'b']) book.queue(job(id));
    book.nextBatch();
    book.dropQueued();
    expect(book).toMatchObject({ queued: 0, held: 1, batchCount: 1 });
  });
});
