import { InvalidArgumentError } from '@orchestra/core';
import { WIRE_LIMITS, type Backoff, type JobSpec } from '@orchestra/core/internal';
import type { JobOptions } from './job.js';

/** Most runs a job may ask for. */
const MAX_ATTEMPTS = 100;

function integerIn(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}`);
  }
  return value;
}

function backoffOf(value: JobOptions['backoff']): Backoff | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number') return { type: 'fixed', delay: integerIn(value, 'backoff', 0, WIRE_LIMITS.maxMillis) };
  if (typeof value !== 'object' || value === null || (value.type !== 'fixed' && value.type !== 'exponential')) {
    throw new InvalidArgumentError("backoff must be a number of ms or { type: 'fixed' | 'exponential', delay }");
  }
  return { type: value.type, delay: integerIn(value.delay, 'backoff.delay', 0, WIRE_LIMITS.maxMillis) };
}

/** The run options of `addJob`, range-checked, as they travel in the job's spec (defaults left out). */
export function runOptions(options: JobOptions): Pick<JobSpec, 'priority' | 'attempts' | 'backoff' | 'timeout'> {
  const out: Pick<JobSpec, 'priority' | 'attempts' | 'backoff' | 'timeout'> = {};
  const priority = integerIn(options.priority ?? 0, 'priority', -1_000_000, 1_000_000);
  if (priority !== 0) out.priority = priority;
  const attempts = integerIn(options.attempts ?? 1, 'attempts', 1, MAX_ATTEMPTS);
  if (attempts !== 1) out.attempts = attempts;
  const backoff = backoffOf(options.backoff);
  if (backoff !== undefined && backoff.delay > 0) out.backoff = backoff;
  if (options.timeout !== undefined) out.timeout = integerIn(options.timeout, 'timeout', 1, WIRE_LIMITS.maxMillis);
  return out;
}
