import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from '../errors.js';

/** The option table of one command, as `util.parseArgs` takes it. */
export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** What `util.parseArgs` makes of `options`: each option's value, or undefined when absent. */
export type OptionValues<O extends OptionSpecs> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: false }>
>['values'];

/** Told apart by code, not `instanceof`: Node's own errors may come from another realm (a test's vm context). */
function isParseArgsError(error: unknown): error is { code: string; message: string } {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_') && typeof message === 'string';
}

/**
 * Parses a command's arguments strictly: unknown options, missing values and stray positional
 * arguments become a {@link CliUsageError} carrying the command's `usage`.
 */
export function parseOptions<const O extends OptionSpecs>(args: readonly string[], options: O, usage: string): OptionValues<O> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals: false }).values;
  } catch (error) {
    // Node's messages go on with advice about `--`; the first sentence says what is wrong.
    if (isParseArgsError(error)) throw new CliUsageError(error.message.split('. ')[0] ?? error.message, usage);
    throw error;
  }
}
