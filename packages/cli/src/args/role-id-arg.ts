import { isValidId } from '@orchestra/core/internal';
import { CliUsageError } from '../errors.js';

/**
 * A role id given with `--id`, or undefined when absent (the role then makes a unique one). It
 * must be a valid protocol id, since it names the role's mailbox and travels in its messages.
 */
export function roleIdArg(value: string | undefined, usage: string): string | undefined {
  if (value === undefined || isValidId(value)) return value;
  throw new CliUsageError(`--id must be 1-128 characters of A-Z a-z 0-9 _ . : - (got ${JSON.stringify(value)})`, usage);
}
