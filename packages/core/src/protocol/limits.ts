/** Default bounds; roles take options to change the ones marked configurable. */
export const DEFAULT_LIMITS = {
  /** Largest params a job may carry, encoded as JSON (configurable per consumer: `maxParamsBytes`). */
  maxParamsBytes: 1024 * 1024,
  /** Largest result a job may return, encoded as JSON (configurable per instrument: `maxResultBytes`). */
  maxResultBytes: 16 * 1024 * 1024,
} as const;

/** Hard bounds the message schemas enforce on whatever is read from the network. */
export const WIRE_LIMITS = {
  /** JSON text of params, results and progress values. */
  maxJsonTextLength: 64 * 1024 * 1024,
  /** Items (jobs, settlements, ids, updates, instruments) in one wire message. */
  maxItems: 10_000,
  /** Length of a script name. */
  maxScriptName: 1024,
  /** Attempts of one job. */
  maxAttempt: 1000,
  /** Durations (timeouts, delays, time to live) in ms: what a Node.js timer can hold. */
  maxMillis: 2_147_483_647,
} as const;
