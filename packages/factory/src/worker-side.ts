import { threadId } from 'node:worker_threads';
import type { JobContext } from '@orchestra/core';
import type { ActiveJob } from '@orchestra/core/runtime';
import type { FactorySpec, Resume, WorkerProcess } from './spec.js';

/** This thread's `resume.id`: unique per thread on a machine, stable for the thread's life. */
const resumeId = `${process.pid}-${threadId}`;

/**
 * In an instrument's thread, `new ThreadFactory(spec)` runs while the file is evaluated as a job
 * script: it registers the worker functions as the script's handler and hooks, so the thread loads
 * the file once and calls `workerProcess` for each item.
 */
export function registerWorker<Item, Result>(active: ActiveJob, spec: FactorySpec<Item, Result>, process: WorkerProcess<Item, Result>): void {
  active.registered = {
    handler: (params: unknown, ctx: JobContext) => {
      const resume: Resume = { id: resumeId, jobId: ctx.jobId, attempt: ctx.attempt, signal: ctx.signal, progress: (value) => ctx.progress(value) };
      return process(params as Item, resume);
    },
    startup: spec.workerStartup,
    finish: spec.workerFinish,
  };
}
