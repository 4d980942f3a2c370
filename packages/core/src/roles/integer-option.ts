import { InvalidArgumentError } from '../errors/lifecycle-errors.js';

/** The bounds of an integer option: at least `min`, at most `max` (unbounded above by default). */
export interface IntegerBounds {
  readonly min: number;
  readonly max?: number;
}

/**
 * What is wrong with an integer option, as the `InvalidArgumentError` that names the option, its
 * bounds and what it got; undefined when it is right. For callers that reject rather than throw.
 */
export function integerOptionError(value: unknown, name: string, bounds: IntegerBounds): InvalidArgumentError | undefined {
  const { min, max = Number.POSITIVE_INFINITY } = bounds;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return undefined;
  const range = max === Number.POSITIVE_INFINITY ? `of at least ${min}` : `from ${min} to ${max}`;
  return new InvalidArgumentError(`${name} must be an integer ${range}, got ${String(value)}`);
}

/**
 * Checks one integer option of a role and returns it; anything else throws the error of
 * {@link integerOptionError}. Every role and network checks its integer options here, so each says
 * the same thing the same way.
 */
export function integerOption(value: unknown, name: string, bounds: IntegerBounds): number {
  const error = integerOptionError(value, name, bounds);
  if (error !== undefined) throw error;
  return value as number;
}
