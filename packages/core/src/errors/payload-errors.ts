import { OrchestraError } from './orchestra-error.js';

/** One failed check of a value against its schema: a JSON pointer into the value, and why. */
export interface ValidationIssue {
  /** JSON pointer to the failing part of the value, `''` for the value itself (e.g. `/b`). */
  readonly path: string;
  /** What is wrong there. */
  readonly message: string;
}

function describe(what: string, script: string, issues: readonly ValidationIssue[]): string {
  const list = issues
    .slice(0, 5)
    .map((i) => `${i.path === '' ? '(root)' : i.path} ${i.message}`)
    .join('; ');
  return `${what} of ${JSON.stringify(script)} do not match its schema: ${list}`;
}

/** `addJob` params do not match the schema the workspace declares for the script. */
export class ParamsValidationError extends OrchestraError {
  /** Each failing path in the params. */
  readonly issues: readonly ValidationIssue[];
  constructor(script: string, issues: readonly ValidationIssue[]) {
    super('ORCHESTRA_PARAMS_INVALID', describe('Params', script, issues));
    this.issues = issues;
  }
}

/** A job's result does not match the schema the workspace declares for the script (checked at the instrument). */
export class ResultValidationError extends OrchestraError {
  /** Each failing path in the result. */
  readonly issues: readonly ValidationIssue[];
  constructor(script: string, issues: readonly ValidationIssue[]) {
    super('ORCHESTRA_RESULT_INVALID', describe('Results', script, issues));
    this.issues = issues;
  }
}

/** Params (or a result) are larger, once encoded, than the configured limit. */
export class PayloadTooLargeError extends OrchestraError {
  /** Encoded size in bytes. */
  readonly size: number;
  /** The limit in bytes. */
  readonly limit: number;
  constructor(what: string, size: number, limit: number) {
    super('ORCHESTRA_PAYLOAD_TOO_LARGE', `${what} is ${size} bytes encoded, over the limit of ${limit} bytes`);
    this.size = size;
    this.limit = limit;
  }
}

/**
 * A value that cannot travel between threads and machines: params and results travel as JSON, so
 * functions, symbols, bigints and circular structures are refused rather than silently changed.
 */
export class NotSerializableError extends OrchestraError {
  constructor(what: string, reason: string, options?: { cause?: unknown }) {
    super('ORCHESTRA_NOT_SERIALIZABLE', `${what} cannot be sent: ${reason}`, options);
  }
}
