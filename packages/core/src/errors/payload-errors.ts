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
 * A value that cannot travel between threads and machines as it is: params, results and progress
 * values travel as JSON, so whatever JSON would silently change (NaN, -0, a Date, a Map, binary
 * data, a function, a cycle…) is refused rather than sent changed. The message names the part and
 * what to send instead.
 */
export class NotSerializableError extends OrchestraError {
  /**
   * Where in the value the refused part is, written as in JavaScript: `params.items[3]`,
   * `result["a b"]`, or just `params`, `result` or `progress` for the whole value. `undefined` when
   * not known.
   */
  readonly path: string | undefined;
  constructor(what: string, reason: string, options?: { cause?: unknown; path?: string }) {
    super('ORCHESTRA_NOT_SERIALIZABLE', `${what} cannot be sent: ${reason}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.path = options?.path;
  }
}
