import { InvalidArgumentError } from '@orchestra/core';
import { WIRE_LIMITS, integerOption, type Backoff, type JobSpec } from '@orchestra/core/internal';
import type { JobOptions } from './job.js';

/** Most runs a job may ask for. */
const MAX_ATTEMPTS = 100;
/** The priority range of the wire schema. */
const MAX_PRIORITY = 1_000_000;

/** The run options of a job as they travel in its spec. */
export type RunOptions = Pick<JobSpec, 'priority' | 'attempts' | 'backoff' | 'timeout'>;

/** The options of one `addJob` call, checked. */
export interface CheckedJobOptions {
  /** What travels in the job's spec (defaults left out). */
  readonly run: RunOptions;
  readonly onProgress: ((value: unknown) => void) | undefined;
  /** Whether to wait for room under `maxPending` (the default) rather than reject. */
  readonly wait: boolean;
}

const delayOption = (value: unknown, name: string): number => integerOption(value, name, { min: 0, max: WIRE_LIMITS.maxMillis });

function backoffOf(value: JobOptions['backoff']): Backoff | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return { type: 'fixed', delay: delayOption(value, 'backoff') };
  if (typeof value !== 'object' || value === null || (value.type !== 'fixed' && value.type !== 'exponential')) {
    throw new InvalidArgumentError("backoff must be a number of ms or { type: 'fixed' | 'exponential', delay }");
  }
  return { type: value.type, delay: delayOption(value.delay, 'backoff.delay') };
}

/** The run options of `addJob`, range-checked, as they travel in the job's spec (defaults left out). */
function runOptions(options: JobOptions): RunOptions {
  const out: RunOptions = {};
  const priority = integerOption(options.priority ?? 0, 'priority', { min: -MAX_PRIORITY, max: MAX_PRIORITY });
  if (priority !== 0) out.priority = priority;
  const attempts = integerOption(options.attempts ?? 1, 'attempts', { min: 1, max: MAX_ATTEMPTS });
  if (attempts !== 1) out.attempts = attempts;
  const backoff = backoffOf(options.backoff);
  if (backoff !== undefined && backoff.delay > 0) out.backoff = backoff;
  if (options.timeout !== undefined) out.timeout = integerOption(options.timeout, 'timeout', { min: 1, max: WIRE_LIMITS.maxMillis });
  return out;
}

/** Checks every option of one `addJob` call; a bad one throws `InvalidArgumentError` naming it. */
export function checkJobOptions(options: JobOptions): CheckedJobOptions {
  const run = runOptions(options);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') {
    throw new InvalidArgumentError('onProgress must be a function');
  }
  if (options.wait !== undefined && typeof options.wait !== 'boolean') throw new InvalidArgumentError('wait must be a boolean');
  return { run, onProgress: options.onProgress, wait: options.wait ?? true };
}
