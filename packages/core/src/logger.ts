/** Where roles report what they set aside or recovered from. Pass your own to route it to your logs. */
export interface Logger {
  warn(message: string, details?: Record<string, unknown>): void;
  error(message: string, details?: Record<string, unknown>): void;
}

/** Writes to `console.warn` / `console.error`, prefixed with `[orchestra]`. */
export const consoleLogger: Logger = {
  warn: (message, details) => console.warn(`[orchestra] ${message}`, ...(details === undefined ? [] : [details])),
  error: (message, details) => console.error(`[orchestra] ${message}`, ...(details === undefined ? [] : [details])),
};
