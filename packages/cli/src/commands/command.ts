import type { CliIo } from '../io.js';

/** One `orchestra <command>`: it parses its own arguments and returns the process's exit code. */
export interface Command {
  /** Runs the command; throws `CliUsageError` for a wrong command line, or another error for a failure. */
  run(args: readonly string[], io: CliIo): Promise<number>;
}
