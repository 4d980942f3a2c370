import type { InstrumentOptions } from '@orchestra/instrument';
import { integerArg } from './integer-arg.js';

/** The per-thread memory limits an instrument takes, in MB. */
export type ResourceLimits = NonNullable<InstrumentOptions['resourceLimits']>;

/** Each memory-limit flag of `orchestra instrument`, the limit it sets, and its smallest value. */
const FLAGS = [
  // Below 16 MB a thread cannot load its entry (the Instrument refuses it too).
  { flag: 'max-old-generation-mb', limit: 'maxOldGenerationSizeMb', min: 16 },
  { flag: 'max-young-generation-mb', limit: 'maxYoungGenerationSizeMb', min: 1 },
  { flag: 'code-range-mb', limit: 'codeRangeSizeMb', min: 1 },
  { flag: 'stack-mb', limit: 'stackSizeMb', min: 1 },
] as const;

/** The flags, in `util.parseArgs`'s option table form. */
export const RESOURCE_LIMIT_OPTIONS = {
  'max-old-generation-mb': { type: 'string' },
  'max-young-generation-mb': { type: 'string' },
  'code-range-mb': { type: 'string' },
  'stack-mb': { type: 'string' },
} as const;

/** Most MB a limit may be (1 TiB), the bound the Instrument checks too. */
const MAX_MB = 1_048_576;

/** The limits the flags set (none given: an empty object, Node's defaults); a bad value is a usage error. */
export function resourceLimitArgs(values: Readonly<Partial<Record<keyof typeof RESOURCE_LIMIT_OPTIONS, string>>>, usage: string): ResourceLimits {
  const limits: Record<string, number> = {};
  for (const { flag, limit, min } of FLAGS) {
    const value = values[flag];
    if (value !== undefined) limits[limit] = integerArg(value, flag, 0, { min, max: MAX_MB }, usage);
  }
  return limits;
}
