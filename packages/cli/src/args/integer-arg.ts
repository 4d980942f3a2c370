import { CliUsageError } from '../errors.js';

/** Bounds of an integer option, both inclusive. */
export interface IntegerBounds {
  readonly min: number;
  readonly max: number;
}

/**
 * An integer option's value: `fallback` when the option is absent, otherwise plain decimal digits
 * within `bounds` ("1e3", "10ms" and "0x10" are refused rather than guessed at).
 */
export function integerArg(value: string | undefined, option: string, fallback: number, bounds: IntegerBounds, usage: string): number {
  if (value === undefined) return fallback;
  const n = /^\d{1,15}$/.test(value) ? Number(value) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < bounds.min || n > bounds.max) {
    throw new CliUsageError(
      `--${option} must be a whole number from ${String(bounds.min)} to ${String(bounds.max)} (got ${JSON.stringify(value)})`,
      usage,
    );
  }
  return n;
}
