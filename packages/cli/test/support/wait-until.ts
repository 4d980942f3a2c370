import { AssertionError } from 'node:assert';

/** Polls `condition` until it holds, failing with `what` after `timeoutMs`: a bounded wait, never a fixed sleep. */
export async function waitUntil(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new AssertionError({ message: `Timed out after ${String(timeoutMs)} ms waiting until ${what}` });
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
