import { OrchestraError } from '@orchestra/core';

/**
 * The command line was wrong: an unknown command or option, a missing or malformed value. The
 * command prints the message and the usage of the command concerned, and exits with code 2.
 */
export class CliUsageError extends OrchestraError {
  /** The usage text of the command concerned, shown below the message. */
  readonly usage: string;
  constructor(message: string, usage: string) {
    super('ORCHESTRA_CLI_USAGE', message);
    this.usage = usage;
  }
}

/**
 * The command could not do its work (Redis unreachable, a role that failed to start). The message
 * is written for the person at the terminal; the command prints it and exits with code 1.
 */
export class CliFailure extends OrchestraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ORCHESTRA_CLI_FAILURE', message, options);
  }
}

/** No acting composer answered a status request in time (none is running, or it is overloaded). */
export class StatusTimeoutError extends OrchestraError {
  /** How long the query waited, in ms. */
  readonly timeoutMs: number;
  /** Replies that arrived but failed validation, and were set aside. */
  readonly invalidReplies: number;
  constructor(timeoutMs: number, invalidReplies: number) {
    const invalid = invalidReplies === 0 ? '' : ` (${String(invalidReplies)} invalid replies were set aside)`;
    super('ORCHESTRA_STATUS_TIMEOUT', `No composer answered the status request within ${String(timeoutMs)} ms${invalid}`);
    this.timeoutMs = timeoutMs;
    this.invalidReplies = invalidReplies;
  }
}
