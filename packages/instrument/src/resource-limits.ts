import { InvalidArgumentError, JobOutOfMemoryError } from '@orchestra/core';
import { integerOption } from '@orchestra/core/internal';

/**
 * Memory limits of each of an instrument's worker threads, in MB, passed to Piscina and on to
 * Node's `Worker` `resourceLimits`. A thread whose job goes past them is ended (and replaced), and
 * the job fails with `JobOutOfMemoryError`. They bound the V8 heap only: `Buffer` and
 * `ArrayBuffer` contents live outside it. Unset ones keep Node's defaults.
 */
export interface ThreadResourceLimits {
  /** Largest old generation (the main heap) of a thread, in MB: the limit a job that keeps allocating meets. */
  readonly maxOldGenerationSizeMb?: number;
  /** Largest young generation (new objects) of a thread, in MB. */
  readonly maxYoungGenerationSizeMb?: number;
  /** Size of the memory range kept for a thread's compiled code, in MB. */
  readonly codeRangeSizeMb?: number;
  /** Largest stack of a thread, in MB (Node's default is 4). */
  readonly stackSizeMb?: number;
}

/**
 * Smallest old generation a thread may be given: below it a thread cannot even load its entry, and
 * Piscina, seeing threads die while they start, stops replacing them, which would leave the
 * instrument with no threads at all.
 */
export const MIN_OLD_GENERATION_MB = 16;

/** Most MB any limit may be: 1 TiB, well past any machine, so a typo is caught. */
const MAX_MB = 1_048_576;

const NAMES = ['maxOldGenerationSizeMb', 'maxYoungGenerationSizeMb', 'codeRangeSizeMb', 'stackSizeMb'] as const;

/**
 * Checks the `resourceLimits` option and returns the limits set (an empty object when none is);
 * throws `InvalidArgumentError` naming the option on a bad one.
 */
export function resourceLimitsSetting(value: unknown): ThreadResourceLimits {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    const got = Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`;
    throw new InvalidArgumentError(`resourceLimits must be an object of limits in MB (${NAMES.join(', ')}), got ${got}`);
  }
  const given = value as Record<string, unknown>;
  const unknown = Object.keys(given).filter((key) => !(NAMES as readonly string[]).includes(key));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`resourceLimits has no option ${unknown.join(', ')}; it takes ${NAMES.join(', ')}`);
  }
  const limits: Record<string, number> = {};
  for (const name of NAMES) {
    const limit = given[name];
    if (limit === undefined) continue;
    const min = name === 'maxOldGenerationSizeMb' ? MIN_OLD_GENERATION_MB : 1;
    limits[name] = integerOption(limit, `resourceLimits.${name}`, { min, max: MAX_MB });
  }
  return limits;
}

/** True for the error Node gives when a worker thread is ended for passing its heap limit. */
export function isOutOfMemory(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === 'ERR_WORKER_OUT_OF_MEMORY';
}

/**
 * The error a job fails with when its thread ran out of memory: it names the limit passed and
 * what to do about it. `cause` is Node's error.
 */
export function outOfMemoryError(job: { readonly id: string; readonly script: string }, limits: ThreadResourceLimits, cause: unknown): JobOutOfMemoryError {
  const limit = limits.maxOldGenerationSizeMb;
  const over =
    limit === undefined
      ? "over V8's default heap limit of its thread (no resourceLimits.maxOldGenerationSizeMb set); set resourceLimits.maxOldGenerationSizeMb to bound each thread, or make the job use less"
      : `over maxOldGenerationSizeMb (${String(limit)} MB) of its thread; raise resourceLimits.maxOldGenerationSizeMb or make the job use less`;
  return new JobOutOfMemoryError(`Job ${job.id} (${job.script}) ran out of memory: ${over}`, { cause });
}
