/** What was thrown, as an Error: `error` events and failures always carry one. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new TypeError(String(value));
}
