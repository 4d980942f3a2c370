import {
  InstrumentLostError,
  JobCancelledError,
  JobError,
  JobOutOfMemoryError,
  JobScriptError,
  JobTimeoutError,
  ThreadCrashedError,
  WorkerContextError,
} from './job-errors.js';
import { BackpressureError, ClosedError, InvalidArgumentError, InvalidMessageError } from './lifecycle-errors.js';
import { isOrchestraError, type OrchestraError } from './orchestra-error.js';
import {
  NotSerializableError,
  ParamsValidationError,
  PayloadTooLargeError,
  ResultValidationError,
  type ValidationIssue,
} from './payload-errors.js';
import { ResultDeliveredError, ResultTimeoutError, UnknownJobError } from './result-errors.js';
import { ScriptNotFoundError, ScriptPathError, WorkspaceError } from './workspace-errors.js';

/** An error as it travels between threads and machines: plain JSON, every string bounded. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  stack?: string;
  /**
   * A validation error's failing paths. A `NotSerializableError` carries its `path` here, as one
   * issue: the wire schema of errors is closed, and receivers of earlier releases must accept it.
   */
  issues?: ValidationIssue[];
  cause?: SerializedError;
}

/** Bounds on what an error may carry across the network, so a hostile or runaway error stays small. */
export const ERROR_LIMITS = {
  name: 200,
  code: 200,
  message: 8 * 1024,
  stack: 16 * 1024,
  issues: 20,
  causeDepth: 4,
} as const;

function bounded(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max)}… [${text.length - max} more characters]`;
}

function describeThrown(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Turns anything thrown into a bounded, JSON-safe {@link SerializedError}, cause chain included. */
export function serializeError(value: unknown, depth = 0): SerializedError {
  if (!(value instanceof Error)) {
    return { name: 'Error', message: bounded(`Non-error value thrown: ${describeThrown(value)}`, ERROR_LIMITS.message) };
  }
  const out: SerializedError = {
    name: bounded(String(value.name), ERROR_LIMITS.name),
    message: bounded(String(value.message), ERROR_LIMITS.message),
  };
  const code: unknown = (value as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = bounded(String(code), ERROR_LIMITS.code);
  if (typeof value.stack === 'string') out.stack = bounded(value.stack, ERROR_LIMITS.stack);
  const issues: unknown = (value as { issues?: unknown }).issues;
  if (isOrchestraError(value) && Array.isArray(issues)) {
    out.issues = (issues as ValidationIssue[]).slice(0, ERROR_LIMITS.issues).map((i) => ({
      path: bounded(String(i.path), 1024),
      message: bounded(String(i.message), 1024),
    }));
  }
  const path: unknown = (value as { path?: unknown }).path;
  if (isOrchestraError(value) && value.code === 'ORCHESTRA_NOT_SERIALIZABLE' && typeof path === 'string') {
    out.issues = [{ path: bounded(path, 1024), message: bounded(String(value.message), 1024) }];
  }
  if (value.cause !== undefined && depth < ERROR_LIMITS.causeDepth) out.cause = serializeError(value.cause, depth + 1);
  return out;
}

type ErrorClass = abstract new (...args: never[]) => OrchestraError;

/** Orchestra's own classes, rebuilt as themselves when they come back from a thread or the network. */
export const byCode = new Map<string, ErrorClass>([
  ['ORCHESTRA_WORKSPACE_INVALID', WorkspaceError],
  ['ORCHESTRA_SCRIPT_PATH_INVALID', ScriptPathError],
  ['ORCHESTRA_SCRIPT_NOT_FOUND', ScriptNotFoundError],
  ['ORCHESTRA_PARAMS_INVALID', ParamsValidationError],
  ['ORCHESTRA_RESULT_INVALID', ResultValidationError],
  ['ORCHESTRA_PAYLOAD_TOO_LARGE', PayloadTooLargeError],
  ['ORCHESTRA_NOT_SERIALIZABLE', NotSerializableError],
  ['ORCHESTRA_THREAD_CRASHED', ThreadCrashedError],
  ['ORCHESTRA_JOB_OUT_OF_MEMORY', JobOutOfMemoryError],
  ['ORCHESTRA_JOB_TIMEOUT', JobTimeoutError],
  ['ORCHESTRA_JOB_CANCELLED', JobCancelledError],
  ['ORCHESTRA_INSTRUMENT_LOST', InstrumentLostError],
  ['ORCHESTRA_BACKPRESSURE', BackpressureError],
  ['ORCHESTRA_JOB_SCRIPT_INVALID', JobScriptError],
  ['ORCHESTRA_WORKER_OUTSIDE_JOB', WorkerContextError],
  ['ORCHESTRA_CLOSED', ClosedError],
  ['ORCHESTRA_INVALID_ARGUMENT', InvalidArgumentError],
  ['ORCHESTRA_MESSAGE_INVALID', InvalidMessageError],
  ['ORCHESTRA_UNKNOWN_JOB', UnknownJobError],
  ['ORCHESTRA_RESULT_DELIVERED', ResultDeliveredError],
  ['ORCHESTRA_RESULT_TIMEOUT', ResultTimeoutError],
]);

/**
 * Rebuilds an error from its serialized form. Orchestra's own errors come back as their own class;
 * anything else (the job's own error) comes back as a {@link JobError} that keeps the original
 * name, message, code and stack, with its cause rebuilt the same way.
 */
export function deserializeError(data: SerializedError): OrchestraError {
  const cause = data.cause === undefined ? undefined : deserializeError(data.cause);
  const options = cause === undefined ? undefined : { cause };
  const known = data.code === undefined ? undefined : byCode.get(data.code);
  // Reflect.construct builds a real Error with the class's prototype without running its
  // constructor, whose arguments (script names, sizes…) are not all carried across.
  const error = Reflect.construct(Error, [data.message, options], known ?? JobError) as OrchestraError;
  Object.defineProperty(error, 'name', { value: data.name, writable: true, configurable: true });
  Object.defineProperty(error, 'code', {
    value: data.code ?? 'ORCHESTRA_JOB_FAILED',
    writable: true,
    enumerable: true,
    configurable: true,
  });
  if (data.stack !== undefined) Object.defineProperty(error, 'stack', { value: data.stack, writable: true, configurable: true });
  if (known === NotSerializableError) {
    Object.defineProperty(error, 'path', { value: data.issues?.[0]?.path, enumerable: true });
  } else if (data.issues !== undefined) {
    Object.defineProperty(error, 'issues', { value: data.issues, enumerable: true });
  }
  return error;
}
