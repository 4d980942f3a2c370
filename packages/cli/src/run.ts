import type { Command } from './commands/command.js';
import { CliUsageError } from './errors.js';
import { processIo, type CliIo } from './io.js';
import { COMPOSER_USAGE, INSTRUMENT_USAGE, MAIN_USAGE, STATUS_USAGE } from './usage.js';
import { cliVersion } from './version.js';

/** Exit codes of the `orchestra` command. */
export const EXIT = {
  /** Done, or stopped gracefully by a signal. */
  ok: 0,
  /** Could not do its work: Redis unreachable, no composer answered, a role failed to start. */
  failure: 1,
  /** The command line was wrong. */
  usage: 2,
} as const;

/** A command's help, and how to load it: only the command run is loaded (the composer needs no thread pool). */
interface CommandEntry {
  readonly usage: string;
  load(): Promise<Command>;
}

const COMMANDS: Readonly<Record<string, CommandEntry>> = {
  composer: { usage: COMPOSER_USAGE, load: async () => (await import('./commands/composer.js')).composerCommand },
  instrument: { usage: INSTRUMENT_USAGE, load: async () => (await import('./commands/instrument.js')).instrumentCommand },
  status: { usage: STATUS_USAGE, load: async () => (await import('./commands/status.js')).statusCommand },
};

function commandNamed(name: string): CommandEntry | undefined {
  return Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
}

async function dispatch(argv: readonly string[], io: CliIo): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) throw new CliUsageError('no command given', MAIN_USAGE);
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = rest[0] === undefined ? undefined : commandNamed(rest[0]);
    io.stdout.write(topic?.usage ?? MAIN_USAGE);
    return EXIT.ok;
  }
  if (first === '-v' || first === '--version') {
    io.stdout.write(`${cliVersion()}\n`);
    return EXIT.ok;
  }
  const command = commandNamed(first);
  if (command === undefined) {
    throw new CliUsageError(first.startsWith('-') ? `unknown option '${first}'` : `unknown command '${first}'`, MAIN_USAGE);
  }
  return (await command.load()).run(rest, io);
}

/**
 * Runs the `orchestra` command line `argv` (without the node and script paths) and resolves with
 * the exit code. Errors are reported on `io.stderr`: a usage error with the usage (code 2), any
 * other failure as one `orchestra: …` line (code 1). The long-running commands resolve once a
 * SIGTERM or SIGINT has closed their role gracefully.
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (error) {
    if (error instanceof CliUsageError) {
      const message = error.message.charAt(0).toLowerCase() + error.message.slice(1);
      io.stderr.write(`orchestra: ${message}\n\n${error.usage}`);
      return EXIT.usage;
    }
    io.stderr.write(`orchestra: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failure;
  }
}
