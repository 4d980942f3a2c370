/**
 * The `orchestra` program (bin/orchestra.js loads the built copy of this file): runs the command
 * line and exits with its code.
 */
import { run } from './run.js';

/** Once the command is done, anything a library left open gets this long before the process exits anyway. */
const EXIT_GRACE_MS = 500;

const code = await run(process.argv.slice(2));
process.exitCode = code;
// Exiting by draining the event loop lets stdout finish writing; the unref'd timer makes sure a
// stray handle cannot keep a finished command alive.
setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
