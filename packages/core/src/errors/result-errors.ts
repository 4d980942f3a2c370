import { OrchestraError } from './orchestra-error.js';

/**
 * `consumer.result(id)`: the network holds no job `id` of this consumer id, and no result for it
 * reached this consumer. The acting composer said so, after every settlement it had sent this
 * consumer had arrived; so the job was never added, or its result was already delivered to this
 * consumer id (to an earlier process with the same id), or it waited unread past `resultTtlMs` and
 * expired. Nothing more will come for it.
 */
export class UnknownJobError extends OrchestraError {
  /** The id asked for. */
  readonly jobId: string;
  constructor(jobId: string) {
    super(
      'ORCHESTRA_UNKNOWN_JOB',
      `No job ${jobId} of this consumer is known to the network: it was never added, or its result was already ` +
        'delivered to this consumer id (to an earlier process with the same id), or it expired unread after resultTtlMs',
    );
    this.jobId = jobId;
  }
}

/**
 * `consumer.result(id)`: this consumer already handed out the result of job `id` (to `addJob`'s
 * `result`, or to an earlier `result(id)` once it had settled). Each result is handed out once, so
 * that results kept for `result(id)` can leave memory and the network.
 */
export class ResultDeliveredError extends OrchestraError {
  /** The id asked for. */
  readonly jobId: string;
  /** `how`: where the result went, for the message. */
  constructor(jobId: string, how: string) {
    super('ORCHESTRA_RESULT_DELIVERED', `The result of job ${jobId} was already handed out by this consumer (${how}); each result is handed out once`);
    this.jobId = jobId;
  }
}

/**
 * `consumer.result(id, { timeout })`: no result came within `timeout` ms. Only this wait ended: the
 * job goes on, and a later `result(id)` still gets its result.
 */
export class ResultTimeoutError extends OrchestraError {
  /** The id asked for. */
  readonly jobId: string;
  /** The timeout, in ms. */
  readonly timeoutMs: number;
  constructor(jobId: string, timeoutMs: number) {
    super('ORCHESTRA_RESULT_TIMEOUT', `No result for job ${jobId} within ${String(timeoutMs)} ms; the job goes on, and result(id) may be asked again`);
    this.jobId = jobId;
    this.timeoutMs = timeoutMs;
  }
}
