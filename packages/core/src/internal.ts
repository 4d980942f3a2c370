/**
 * `@orchestra/core/internal`: what the Orchestra packages share with each other — the message
 * schemas, mailbox names and the thread-runtime hooks. Not a public API: it may change in any
 * release, in step with the packages that use it.
 */
export { PROTOCOL_VERSION } from './protocol/messages.js';
export type {
  Assignment,
  AssignMessage,
  Backoff,
  CancelRunsMessage,
  CancelRequestMessage,
  HelloMessage,
  SyncMessage,
  ComposerMessage,
  ConsumerMessage,
  ConsumerProgressMessage,
  CreditMessage,
  DoneMessage,
  InstrumentMessage,
  JobSpec,
  LeaveMessage,
  RunProgressMessage,
  Settlement,
  SettleMessage,
  SubmitMessage,
  InstrumentStatus,
  ObserverMessage,
  StatusReplyMessage,
  StatusRequestMessage,
  StatusSnapshot,
} from './protocol/messages.js';
export * as schemas from './protocol/messages.js';
export { isComposerMessage, isConsumerMessage, isInstrumentMessage, isObserverMessage, isValidId } from './protocol/checks.js';
export { compileMessageCheck, type MessageCheck } from './protocol/message-check.js';
export { mailboxes } from './protocol/mailboxes.js';
export { WIRE_LIMITS } from './protocol/limits.js';
export { ERROR_LIMITS, deserializeError, serializeError, type SerializedError } from './errors/serialize.js';
export { isRetryable } from './errors/retryable.js';
export { encodeJson, sizeOverLimit } from './json/encode-json.js';
export { compileSchemaCheck, type SchemaCheck } from './workspace/schema-check.js';
export { loadSchemaCheck, type SchemaCompiler } from './workspace/load-schema-check.js';
export { normaliseScriptName } from './workspace/script-name.js';
export { resolveScriptFile } from './workspace/resolve-script.js';
export { getActiveJob, setActiveJob, type ActiveJob, type RegisteredHandler } from './worker/active-job.js';
export { JobIds, newRoleId } from './ids.js';
export { checkNetwork } from './check-network.js';
export { integerOption, integerOptionError, type IntegerBounds } from './roles/integer-option.js';
export { Intake } from './roles/intake.js';
export { EpochGate } from './roles/epoch-gate.js';
export { RetryingSender, SEND_RETRY_MS, type PushOptions, type RetryingSenderOptions } from './roles/retrying-sender.js';
export { waitUntil } from './wait-until.js';
