import { DEFAULT_LIMITS, InvalidArgumentError, consoleLogger, type Logger } from '@orchestra/core';
import { integerOption } from '@orchestra/core/internal';
import { resourceLimitsSetting, type ThreadResourceLimits } from './resource-limits.js';

export type { ThreadResourceLimits } from './resource-limits.js';

/** Options of {@link Instrument}. */
export interface InstrumentOptions {
  /** This instrument's id on the network (default: a new unique id). */
  readonly id?: string;
  /** Largest result a job may return, JSON-encoded, in bytes (default 16 MiB). */
  readonly maxResultBytes?: number;
  /** Most jobs handed to a thread in one Piscina task (default 128). */
  readonly maxJobsPerTask?: number;
  /**
   * Most jobs handed to a thread in one Piscina task (default 128).
   * @deprecated use maxJobsPerTask
   */
  readonly maxBatch?: number;
  /** How often it tells the composer it is alive, in ms (default 1 000; keep it well under the composer's `instrumentLeaseMs`). */
  readonly heartbeatMs?: number;
  /**
   * After a job's abort signal fired (cancelled, or past its timeout), how long the script has to
   * stop before its thread is ended, in ms (default 1 000).
   */
  readonly abortGraceMs?: number;
  /**
   * How long `close()` lets running jobs finish before it stops them and hands them back to the
   * composer to run elsewhere, in ms (default 30 000).
   */
  readonly closeGraceMs?: number;
  /**
   * Memory limits of each worker thread, in MB, e.g. `{ maxOldGenerationSizeMb: 512 }` (default:
   * none, so one job can grow a thread's heap to V8's limit of several GB). A job that goes past
   * them has its thread ended and replaced, and fails with `JobOutOfMemoryError`, not retried;
   * the other jobs carry on. Whole numbers; `maxOldGenerationSizeMb` at least 16.
   */
  readonly resourceLimits?: ThreadResourceLimits;
  /** Where problems are reported (default: the console). */
  readonly logger?: Logger;
}

/** Counters an instrument keeps, for monitoring. */
export interface InstrumentStats {
  readonly threads: number;
  /** Threads running jobs now. */
  readonly busy: number;
  /** Jobs held here: queued or running. */
  readonly held: number;
  /** Jobs settled since start. */
  readonly settled: number;
  /** Runs stopped: cancelled, or past their timeout. */
  readonly stopped: number;
  /** Messages read from the network that failed validation and were set aside. */
  readonly invalidMessages: number;
  /** Messages refused because they carried an older composer epoch. */
  readonly staleMessages: number;
}

/** An instrument's settings, checked, with the defaults filled in. */
export interface InstrumentSettings {
  readonly threads: number;
  readonly id: string | undefined;
  readonly maxResultBytes: number;
  readonly maxJobsPerTask: number;
  readonly heartbeatMs: number;
  readonly abortGraceMs: number;
  readonly closeGraceMs: number;
  /** The limits set, none when the option was not given. */
  readonly resourceLimits: ThreadResourceLimits;
  readonly logger: Logger;
}

const atLeastOne = { min: 1 } as const;

/** Most jobs in one Piscina task, from the option or its deprecated alias (not both). */
function maxJobsPerTask(options: InstrumentOptions): number {
  const alias = options.maxBatch;
  if (alias === undefined) return integerOption(options.maxJobsPerTask ?? 128, 'maxJobsPerTask', atLeastOne);
  if (options.maxJobsPerTask !== undefined) {
    throw new InvalidArgumentError('maxBatch is the deprecated name of maxJobsPerTask: give only maxJobsPerTask');
  }
  return integerOption(alias, 'maxBatch', atLeastOne);
}

/** Checks an instrument's arguments and fills in the defaults; throws `InvalidArgumentError` on a bad one. */
export function instrumentSettings(maxWorkers: unknown, options: InstrumentOptions): InstrumentSettings {
  return {
    threads: integerOption(maxWorkers, 'maxWorkers', atLeastOne),
    maxJobsPerTask: maxJobsPerTask(options),
    maxResultBytes: integerOption(options.maxResultBytes ?? DEFAULT_LIMITS.maxResultBytes, 'maxResultBytes', atLeastOne),
    heartbeatMs: integerOption(options.heartbeatMs ?? 1_000, 'heartbeatMs', atLeastOne),
    abortGraceMs: integerOption(options.abortGraceMs ?? 1_000, 'abortGraceMs', atLeastOne),
    closeGraceMs: integerOption(options.closeGraceMs ?? 30_000, 'closeGraceMs', atLeastOne),
    resourceLimits: resourceLimitsSetting(options.resourceLimits),
    id: options.id,
    logger: options.logger ?? consoleLogger,
  };
}
