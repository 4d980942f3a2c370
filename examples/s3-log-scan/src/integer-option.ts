import { UsageError } from './errors.js';

/**
 * An integer option's value: `fallback` when it is not given, else the integer written, which must
 * be at least `min`. Throws `UsageError` naming the option otherwise.
 */
export function integerOption(flag: string, text: string | undefined, fallback: number, min = Number.MIN_SAFE_INTEGER): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!/^-?\d+$/.test(text) || !Number.isSafeInteger(value)) throw new UsageError(`${flag} must be an integer, got "${text}"`);
  if (value < min) throw new UsageError(`${flag} must be at least ${min}, got ${value}`);
  return value;
}
