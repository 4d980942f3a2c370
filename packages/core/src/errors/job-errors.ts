import { OrchestraError } from './orchestra-error.js';

/**
 * The job's own code threw or rejected. The error that settles `result` keeps the original
 * `name`, `message`, `code`, `cause` and `stack` (as they were in the worker thread); it is an
 * instance of this class so that callers can tell a job's own failure from Orchestra's.
 */
export class JobError extends OrchestraError {
  constructor(name: string, message: string, code: string | undefined, options?: { cause?: unknown }) {
    super(code ?? 'ORCHESTRA_JOB_FAILED', message, options);
    this.name = name;
  }
}

/** The worker thread running the job died (`process.exit`, an uncaught exception in a timer, out of memory). */
export class ThreadCrashedError extends OrchestraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ORCHESTRA_THREAD_CRASHED', message, options);
  }
}

/**
 * The job's thread ran out of memory: its V8 heap passed the instrument's per-thread
 * `resourceLimits` (or, with none set, V8's own heap limit). A {@link ThreadCrashedError}, so code
 * that handles crashed threads handles it too; unlike other crashes it is not retried, since the
 * same job would most likely fill the same heap again.
 */
export class JobOutOfMemoryError extends ThreadCrashedError {
  // A field, so the code is set over the one ThreadCrashedError's constructor gave.
  override readonly code: string = 'ORCHESTRA_JOB_OUT_OF_MEMORY';
}

/**
 * The script broke the job-script contract: it neither exported a handler function nor built a
 * `Worker`, settled a job twice, or ended without ever settling.
 */
export class JobScriptError extends OrchestraError {
  constructor(message: string) {
    super('ORCHESTRA_JOB_SCRIPT_INVALID', message);
  }
}

/** `new Worker()` was called outside a job script run by an Instrument. */
export class WorkerContextError extends OrchestraError {
  constructor() {
    super(
      'ORCHESTRA_WORKER_OUTSIDE_JOB',
      'new Worker() can only be called in a job script that an Instrument is running',
    );
  }
}

/** The job ran longer than its `timeout`: its run was stopped (the thread ended if the script did not stop on its signal). */
export class JobTimeoutError extends OrchestraError {
  constructor(message: string) {
    super('ORCHESTRA_JOB_TIMEOUT', message);
  }
}

/** The job was cancelled (`consumer.cancel(id)`) before it settled. */
export class JobCancelledError extends OrchestraError {
  constructor(message: string) {
    super('ORCHESTRA_JOB_CANCELLED', message);
  }
}

/**
 * The instruments that ran the job kept disappearing (killed, frozen past their lease, cut off),
 * more often than the composer's `maxLostRuns` allows: the job may be what kills them.
 */
export class InstrumentLostError extends OrchestraError {
  constructor(message: string) {
    super('ORCHESTRA_INSTRUMENT_LOST', message);
  }
}
