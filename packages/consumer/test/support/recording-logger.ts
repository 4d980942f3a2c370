import type { Logger } from '@orchestra/core';

/** A logger that keeps what it was told, so a test can assert on it. */
export class RecordingLogger implements Logger {
  readonly warnings: { message: string; details?: Record<string, unknown> | undefined }[] = [];
  readonly errors: { message: string; details?: Record<string, unknown> | undefined }[] = [];

  warn(message: string, details?: Record<string, unknown>): void {
    this.warnings.push({ message, details });
  }

  error(message: string, details?: Record<string, unknown>): void {
    this.errors.push({ message, details });
  }
}
