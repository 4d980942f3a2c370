import { fileURLToPath } from 'node:url';

/** A stack frame's location: `(/path/file.js:1:2)` or `at file:///path/file.mjs:1:2`. */
const FRAME = /(?:\(|at )((?:file:\/\/)?\/[^()]*?):\d+:\d+\)?$/;

/**
 * The file of the code that called `fn`: the file that built the factory, which every thread loads.
 * Falls back to the program's entry file.
 */
export function callerFile(fn: abstract new (...args: never[]) => unknown): string | undefined {
  const holder: { stack?: string } = {};
  Error.captureStackTrace(holder, fn);
  for (const line of (holder.stack ?? '').split('\n').slice(1)) {
    const match = FRAME.exec(line.trim());
    const location = match?.[1];
    if (location === undefined || location.startsWith('node:')) continue;
    return location.startsWith('file://') ? fileURLToPath(location) : location;
  }
  return process.argv[1];
}
