import type { Logger } from '@orchestra/core';

/** Longest detail value printed; a log line is for reading, not for dumping payloads. */
const MAX_DETAIL = 500;

function describe(value: unknown): string {
  if (value instanceof Error) {
    const code = (value as { code?: unknown }).code;
    const message = value.message === '' && typeof code === 'string' ? code : value.message;
    return value.cause instanceof Error ? `${message} (cause: ${describe(value.cause)})` : message;
  }
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/**
 * A {@link Logger} that writes each report as one line (`[orchestra] message; key: value`), errors
 * by their message, so the roles' warnings stay readable in a terminal and in a log collector.
 */
export function lineLogger(write: (line: string) => void): Logger {
  const log = (level: string, message: string, details?: Record<string, unknown>): void => {
    const parts = Object.entries(details ?? {}).map(([key, value]) => `${key}: ${describe(value).slice(0, MAX_DETAIL)}`);
    write(`[orchestra] ${level}: ${[message, ...parts].join('; ')}\n`);
  };
  return {
    warn: (message, details) => log('warning', message, details),
    error: (message, details) => log('error', message, details),
  };
}
