import { PayloadTooLargeError, ResultValidationError } from '@orchestra/core';
import {
  deserializeError,
  encodeJson,
  loadSchemaCheck,
  serializeError,
  sizeOverLimit,
  type SchemaCheck,
  type SerializedError,
} from '@orchestra/core/runtime';
import { runKey } from '../run-key.js';
import { postToInstrument } from './instrument-channel.js';
import { runScript } from './script-cache.js';
import type { ThreadConfig, ThreadJob, ThreadSettlement } from './thread-protocol.js';

const resultChecks = new Map<string, SchemaCheck | null>();

/** Runs (by {@link runKey}) told to stop before this thread reached them, with the error to settle them with. */
const aborted = new Map<string, SerializedError>();
/** Bounds {@link aborted}: ids meant for other threads are forgotten, oldest first. */
const MAX_ABORTED = 10_000;
/** The job this thread runs now, if any. */
let current: { readonly id: string; readonly attempt: number; readonly controller: AbortController } | undefined;

/** The script's result check, if it has a schema: the schema compiler (TypeBox) loads only then. */
async function resultCheck(config: ThreadConfig, script: string): Promise<SchemaCheck | null> {
  let check = resultChecks.get(script);
  if (check === undefined) {
    const schema = config.schemas?.[script];
    check = schema === undefined ? null : (await loadSchemaCheck())(schema.result);
    resultChecks.set(script, check);
  }
  return check;
}

/**
 * Stops jobs (cancelled, or past their timeout): the one running here has its abort signal fired
 * with the error, and settles with it whenever the script returns; the others are skipped if this
 * thread reaches them. A script that does not stop on its signal within the grace period has its
 * thread ended by the instrument.
 */
export function abortJobs(jobs: readonly { readonly id: string; readonly attempt: number }[], error: SerializedError): void {
  for (const job of jobs) {
    if (current?.id === job.id && current.attempt === job.attempt) current.controller.abort(deserializeError(error));
    else {
      aborted.set(runKey(job.id, job.attempt), error);
      if (aborted.size > MAX_ABORTED) aborted.delete(aborted.keys().next().value as string);
    }
  }
}

/**
 * Runs one job in this thread and reports how it ended. The result is checked against the
 * script's schema and encoded here, off the instrument's main thread, so a result that cannot
 * travel fails its own job with a clear error instead of the whole batch.
 */
export async function runJob(job: ThreadJob, config: ThreadConfig): Promise<ThreadSettlement> {
  if (aborted.size > 0) {
    const run = runKey(job.id, job.attempt);
    const stopped = aborted.get(run);
    if (stopped !== undefined) {
      aborted.delete(run);
      return { id: job.id, attempt: job.attempt, ok: false, error: stopped };
    }
  }
  const controller = new AbortController();
  current = { id: job.id, attempt: job.attempt, controller };
  if (job.timeout !== undefined) {
    // The instrument times the run from here.
    postToInstrument({ '~orchestra': 'started', id: job.id, attempt: job.attempt });
  }
  try {
    const params: unknown = job.params === undefined ? undefined : JSON.parse(job.params);
    const value = await runScript(job, params, controller.signal);
    // Stopped is stopped, even if the script finished within the grace period.
    if (controller.signal.aborted) throw controller.signal.reason;
    // Known scripts (with a check or with none: null) are served at once: no await on the hot path.
    const known = resultChecks.get(job.script);
    const check = known !== undefined ? known : await resultCheck(config, job.script);
    const issues = check?.(value);
    if (issues !== undefined) throw new ResultValidationError(job.script, issues);
    const result = encodeJson(value, `The result of ${job.script}`, 'result');
    if (result === undefined) return { id: job.id, attempt: job.attempt, ok: true };
    const size = sizeOverLimit(result, config.maxResultBytes);
    if (size !== undefined) throw new PayloadTooLargeError(`The result of ${job.script}`, size, config.maxResultBytes);
    return { id: job.id, attempt: job.attempt, ok: true, result };
  } catch (error) {
    return { id: job.id, attempt: job.attempt, ok: false, error: serializeError(controller.signal.aborted ? controller.signal.reason : error) };
  } finally {
    current = undefined;
  }
}
