/**
 * `@orchestra/core/runtime`: the part of `@orchestra/core/internal` that worker threads need (the
 * job-script hooks, JSON encoding, error serialisation, the integer-option check), without the message schemas, so a thread
 * does not load TypeBox unless it checks a result schema. Not a public API: it may change in any
 * release, in step with the packages that use it.
 */
export { ERROR_LIMITS, deserializeError, serializeError, type SerializedError } from './errors/serialize.js';
export { encodeJson, sizeOverLimit } from './json/encode-json.js';
export { loadSchemaCheck, type SchemaCompiler } from './workspace/load-schema-check.js';
export type { SchemaCheck } from './workspace/schema-check.js';
export { getActiveJob, setActiveJob, type ActiveJob, type RegisteredHandler } from './worker/active-job.js';
export { integerOption, integerOptionError, type IntegerBounds } from './roles/integer-option.js';
