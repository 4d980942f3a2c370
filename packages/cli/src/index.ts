/**
 * `@orchestra/cli`: the `orchestra` command (`orchestra composer`, `orchestra instrument`,
 * `orchestra status`), and the pieces of it a program may want: running a command line, and
 * asking a network's acting composer for its status.
 */
export { run, EXIT } from './run.js';
export type { CliIo } from './io.js';
export { CliFailure, CliUsageError, StatusTimeoutError } from './errors.js';
export { queryStatus, type NetworkStatus, type StatusQueryOptions } from './status/query-status.js';
export { formatStatus, statusJson } from './status/format-status.js';
