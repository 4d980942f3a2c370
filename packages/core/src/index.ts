/**
 * `@orchestra/core`: the contract every Orchestra package shares. Workspace and Worker (what users
 * touch), the Network contract (what adapters implement), and the error classes.
 */
export { Workspace, type WorkspaceConstructor } from './workspace/workspace.js';
export type {
  AnyWorkspace,
  ParamsOf,
  ResultOf,
  ScriptName,
  ScriptSchema,
  ScriptTable,
  ScriptTypes,
  SchemaTable,
  TypesOfSchemas,
  UntypedScripts,
  WorkspaceTypes,
} from './workspace/types.js';
export { Worker } from './worker/worker.js';
export type { JobContext, JobHandler } from './worker/job-context.js';
export {
  NETWORK_CONTRACT_VERSION,
  type Delivery,
  type LeaseGrant,
  type MailboxHandler,
  type MailboxReceiver,
  type Network,
  type NetworkMessage,
  type ReceiveOptions,
  type Release,
  type SendOptions,
} from './network.js';
export { OrchestraError, isOrchestraError } from './errors/orchestra-error.js';
export { ScriptNotFoundError, ScriptPathError, WorkspaceError } from './errors/workspace-errors.js';
export {
  NotSerializableError,
  ParamsValidationError,
  PayloadTooLargeError,
  ResultValidationError,
  type ValidationIssue,
} from './errors/payload-errors.js';
export {
  InstrumentLostError,
  JobCancelledError,
  JobError,
  JobOutOfMemoryError,
  JobScriptError,
  JobTimeoutError,
  ThreadCrashedError,
  WorkerContextError,
} from './errors/job-errors.js';
export { BackpressureError, ClosedError, InvalidArgumentError, InvalidMessageError } from './errors/lifecycle-errors.js';
export { ResultDeliveredError, ResultTimeoutError, UnknownJobError } from './errors/result-errors.js';
export { DEFAULT_LIMITS } from './protocol/limits.js';
export { consoleLogger, type Logger } from './logger.js';
