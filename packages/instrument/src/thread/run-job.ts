import { PayloadTooLargeError, ResultValidationError } from '@orchestra/core';
import { compileSchemaCheck, encodeJson, serializeError, sizeOverLimit, type SchemaCheck } from '@orchestra/core/internal';
import { runScript } from './script-cache.js';
import type { ThreadConfig, ThreadJob, ThreadSettlement } from './thread-protocol.js';

const resultChecks = new Map<string, SchemaCheck | null>();

function resultCheck(config: ThreadConfig, script: string): SchemaCheck | null {
  let check = resultChecks.get(script);
  if (check === undefined) {
    const schema = config.schemas?.[script];
    check = schema === undefined ? null : compileSchemaCheck(schema.result);
    resultChecks.set(script, check);
  }
  return check;
}

/**
 * Runs one job in this thread and reports how it ended. The result is checked against the
 * script's schema and encoded here, off the instrument's main thread, so a result that cannot
 * travel fails its own job with a clear error instead of the whole batch.
 */
export async function runJob(job: ThreadJob, config: ThreadConfig): Promise<ThreadSettlement> {
  try {
    const params: unknown = job.params === undefined ? undefined : JSON.parse(job.params);
    const value = await runScript(job, params, new AbortController().signal);
    const issues = resultCheck(config, job.script)?.(value);
    if (issues !== undefined) throw new ResultValidationError(job.script, issues);
    const result = encodeJson(value, `The result of ${job.script}`);
    if (result === undefined) return { id: job.id, ok: true };
    const size = sizeOverLimit(result, config.maxResultBytes);
    if (size !== undefined) throw new PayloadTooLargeError(`The result of ${job.script}`, size, config.maxResultBytes);
    return { id: job.id, ok: true, result };
  } catch (error) {
    return { id: job.id, ok: false, error: serializeError(error) };
  }
}
