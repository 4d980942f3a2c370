import { InvalidArgumentError } from '../errors/lifecycle-errors.js';

/** The bounds of an integer option: at least `min`, at most `max` (unbounded above by default). */
export interface IntegerBounds {
  readonly min: number;
  readonly max?: number;
}

/**
 * Checks one integer option of a role and returns it; anything else throws an `InvalidArgumentError`
 * that names the option, its bounds and what it got. Every role checks its integer options here, so
 * each says the same thing the same way.
 */
export function integerOption(value: unknown, name: string, bounds: IntegerBounds): number {
  const { min, max = Number.POSITIVE_INFINITY } = bounds;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `of at least ${min}` : `from ${min} to ${max}`;
    throw new InvalidArgumentError(`${name} must be an integer ${range}, got ${String(value)}`);
  }
  return value;
}
