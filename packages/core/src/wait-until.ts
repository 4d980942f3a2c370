import { AssertionError } from 'node:assert';

/**
 * Polls `condition` until it holds, failing with an `AssertionError` naming `what` after
 * `timeoutMs`: a bounded wait for a state, never a fixed sleep. The one poll-until of the project:
 * the conformance suite, the tests, their role fixtures and the bench all wait with it.
 */
export async function waitUntil(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new AssertionError({ message: `Timed out after ${timeoutMs} ms waiting until ${what}` });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
