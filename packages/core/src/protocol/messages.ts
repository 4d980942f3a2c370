import Type, { type Static, type TSchema } from 'typebox';
import { ERROR_LIMITS, type SerializedError } from '../errors/serialize.js';
import { WIRE_LIMITS } from './limits.js';

/**
 * Version 1 of the message schema. Every message carries `v`; a role refuses (counts, logs and
 * sets aside) a message of a version it does not speak, exactly like any other invalid message.
 */
export const PROTOCOL_VERSION = 1;

const closed = { additionalProperties: false } as const;
const V = Type.Literal(PROTOCOL_VERSION);
/** Ids are nanoids or names a user chose: short, URL-safe. Exported so tools can check an id before using it. */
export const IdSchema = Type.String({ minLength: 1, maxLength: 128, pattern: '^[A-Za-z0-9_.:-]+$' });
const Id = IdSchema;
const ScriptName = Type.String({ minLength: 1, maxLength: WIRE_LIMITS.maxScriptName });
/** Params, results and progress travel as JSON text, parsed only where they are used. */
const JsonText = Type.String({ maxLength: WIRE_LIMITS.maxJsonTextLength });
const Attempt = Type.Integer({ minimum: 1, maximum: WIRE_LIMITS.maxAttempt });
const Epoch = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Count = Type.Integer({ minimum: 0, maximum: 1_000_000 });
/** Running totals (jobs done, queued, …): unbounded in practice, so bounded only by exact integers. */
const Total = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
/** A wall-clock time, in ms since 1970 (Date.now()). */
const Timestamp = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER });
const Priority = Type.Integer({ minimum: -1_000_000, maximum: 1_000_000 });
/** A duration in ms that a timer can hold (setTimeout's range). */
const Millis = Type.Integer({ minimum: 1, maximum: WIRE_LIMITS.maxMillis });
/** How a failed job waits before its next attempt: `delay` ms each time, or doubling from `delay`. */
export const BackoffSchema = Type.Object(
  { type: Type.Union([Type.Literal('fixed'), Type.Literal('exponential')]), delay: Type.Integer({ minimum: 0, maximum: WIRE_LIMITS.maxMillis }) },
  closed,
);
const batchOf = <T extends TSchema>(item: T) => Type.Array(item, { minItems: 1, maxItems: WIRE_LIMITS.maxItems });

function errorSchema(depth: number): TSchema {
  // Room for the '… [N more characters]' marker that bounding appends.
  const Bounded = (max: number) => Type.String({ maxLength: max + 64 });
  const Issue = Type.Object({ path: Bounded(1024), message: Bounded(1024) }, closed);
  return Type.Object(
    {
      name: Bounded(ERROR_LIMITS.name),
      message: Bounded(ERROR_LIMITS.message),
      code: Type.Optional(Bounded(ERROR_LIMITS.code)),
      stack: Type.Optional(Bounded(ERROR_LIMITS.stack)),
      issues: Type.Optional(Type.Array(Issue, { maxItems: ERROR_LIMITS.issues })),
      ...(depth > 0 ? { cause: Type.Optional(errorSchema(depth - 1)) } : {}),
    },
    closed,
  );
}
/** A serialized error (see `serializeError`), its cause chain bounded in depth. */
export const ErrorSchema = Type.Unsafe<SerializedError>(errorSchema(ERROR_LIMITS.causeDepth));

/**
 * One job as the consumer submits it. `attempts` (default 1) bounds the runs that may fail before
 * the job fails for good; `backoff` spaces them; `timeout` (ms) fails a run that takes longer.
 */
export const JobSpecSchema = Type.Object(
  {
    id: Id,
    script: ScriptName,
    params: Type.Optional(JsonText),
    priority: Type.Optional(Priority),
    attempts: Type.Optional(Attempt),
    backoff: Type.Optional(BackoffSchema),
    timeout: Type.Optional(Millis),
  },
  closed,
);

/** One job as the composer assigns it to an instrument. */
export const AssignmentSchema = Type.Object(
  { id: Id, script: ScriptName, params: Type.Optional(JsonText), attempt: Attempt, timeout: Type.Optional(Millis) },
  closed,
);

const Fulfilled = Type.Object({ id: Id, attempt: Attempt, ok: Type.Literal(true), result: Type.Optional(JsonText) }, closed);
const Rejected = Type.Object({ id: Id, attempt: Attempt, ok: Type.Literal(false), error: ErrorSchema }, closed);
/** The outcome of one attempt of a job, as an instrument reports it. */
export const SettlementSchema = Type.Union([Fulfilled, Rejected]);

/**
 * consumer → composer: jobs to queue. `resultTtlMs`: how long the consumer's mailbox keeps results
 * nobody reads (a consumer that died and may start again with the same id).
 */
export const SubmitMessageSchema = Type.Object(
  { v: V, type: Type.Literal('submit'), consumer: Id, resultTtlMs: Type.Optional(Millis), jobs: batchOf(JobSpecSchema) },
  closed,
);
/** consumer → composer: cancel these jobs of this consumer, wherever they are. */
export const CancelRequestMessageSchema = Type.Object(
  { v: V, type: Type.Literal('cancel'), consumer: Id, ids: batchOf(Id) },
  closed,
);
/**
 * instrument → composer: it is here with `threads` threads and may be sent `credits` jobs in all
 * (not in addition to earlier credits: a hello resets the count). Sent when it starts, and again
 * when a composer that does not know it asks (`sync`).
 */
export const HelloMessageSchema = Type.Object(
  { v: V, type: Type.Literal('hello'), instrument: Id, threads: Count, credits: Count, busy: Type.Optional(Count) },
  closed,
);
/**
 * instrument → composer: it may be sent `credits` more jobs. With `credits: 0` it is a heartbeat,
 * sent every second or so, by which the composer knows it is alive. `busy`, when present, is how
 * many of its threads are running jobs now; `held`, how many jobs it holds (running or waiting for
 * a thread), so a composer can tell an instrument that lost its assignments (Redis lost data).
 */
export const CreditMessageSchema = Type.Object(
  { v: V, type: Type.Literal('credit'), instrument: Id, threads: Count, credits: Count, busy: Type.Optional(Count), held: Type.Optional(Count) },
  closed,
);
/** instrument → composer: attempts that ended, plus fresh credits and, optionally, its busy threads. */
export const DoneMessageSchema = Type.Object(
  {
    v: V,
    type: Type.Literal('done'),
    instrument: Id,
    settlements: batchOf(SettlementSchema),
    credits: Count,
    busy: Type.Optional(Count),
  },
  closed,
);
/** instrument → composer: progress values reported by running jobs. */
export const RunProgressMessageSchema = Type.Object(
  {
    v: V,
    type: Type.Literal('progress'),
    instrument: Id,
    updates: batchOf(Type.Object({ id: Id, attempt: Attempt, value: JsonText }, closed)),
  },
  closed,
);
/**
 * instrument → composer: it is leaving. Whatever the composer still counts as held by it goes back to
 * the queue as a new run, so the message needs nothing but the instrument's id.
 */
export const LeaveMessageSchema = Type.Object({ v: V, type: Type.Literal('leave'), instrument: Id }, closed);
/**
 * observer → composer: asks the acting composer for a status snapshot, to be sent to mailbox
 * `observer.<replyTo>`. A composer that reads it after `expiresAt` (ms since 1970, by its own clock)
 * does not answer: nobody is waiting any more, and an answer would only leave a mailbox behind.
 */
export const StatusRequestMessageSchema = Type.Object(
  { v: V, type: Type.Literal('status'), replyTo: Id, expiresAt: Type.Optional(Timestamp) },
  closed,
);
/**
 * consumer → composer: which of these jobs of this consumer does the composer hold? Asked by
 * `result(id)` for an id of an earlier process with the same consumer id. The answer, a
 * `lookup-reply`, goes to the consumer's mailbox (kept for `resultTtlMs` when nobody reads it), after
 * every settlement sent there before. Added to version 1: a composer older than it counts it invalid.
 */
export const LookupMessageSchema = Type.Object(
  { v: V, type: Type.Literal('lookup'), consumer: Id, resultTtlMs: Type.Optional(Millis), ids: batchOf(Id) },
  closed,
);
/** Everything the composer's mailbox may hold. */
export const ComposerMessageSchema = Type.Union([
  SubmitMessageSchema,
  CancelRequestMessageSchema,
  HelloMessageSchema,
  CreditMessageSchema,
  DoneMessageSchema,
  RunProgressMessageSchema,
  LeaveMessageSchema,
  StatusRequestMessageSchema,
  LookupMessageSchema,
]);

/** composer → instrument: jobs to run. `epoch` is the composer's lease epoch. */
export const AssignMessageSchema = Type.Object(
  { v: V, type: Type.Literal('assign'), epoch: Epoch, jobs: batchOf(AssignmentSchema) },
  closed,
);
/** composer → instrument: stop these jobs (their abort signal fires; the thread ends after a grace period). */
export const CancelRunsMessageSchema = Type.Object(
  { v: V, type: Type.Literal('cancel'), epoch: Epoch, ids: batchOf(Id) },
  closed,
);
/** composer → instrument: a composer that does not know this instrument asks it to say hello again. */
export const SyncMessageSchema = Type.Object({ v: V, type: Type.Literal('sync'), epoch: Epoch }, closed);
/** Everything an instrument's mailbox may hold. */
export const InstrumentMessageSchema = Type.Union([AssignMessageSchema, CancelRunsMessageSchema, SyncMessageSchema]);

const ConsumerFulfilled = Type.Object({ id: Id, ok: Type.Literal(true), result: Type.Optional(JsonText) }, closed);
const ConsumerRejected = Type.Object({ id: Id, ok: Type.Literal(false), error: ErrorSchema }, closed);
/** composer → consumer: the final outcome of jobs. */
export const SettleMessageSchema = Type.Object(
  { v: V, type: Type.Literal('settle'), epoch: Epoch, settlements: batchOf(Type.Union([ConsumerFulfilled, ConsumerRejected])) },
  closed,
);
/** composer → consumer: progress values of running jobs. */
export const ConsumerProgressMessageSchema = Type.Object(
  {
    v: V,
    type: Type.Literal('progress'),
    epoch: Epoch,
    updates: batchOf(Type.Object({ id: Id, value: JsonText }, closed)),
  },
  closed,
);
/**
 * composer → consumer: the answer to a `lookup`: of the ids asked, those the composer holds no job
 * of for this consumer (only those; sent only when there is one). Sent after every settlement the
 * composer sent this consumer before, so an id it lists that has not settled by then never will.
 */
export const LookupReplyMessageSchema = Type.Object(
  { v: V, type: Type.Literal('lookup-reply'), epoch: Epoch, unknown: batchOf(Id) },
  closed,
);
/** Everything a consumer's mailbox may hold. */
export const ConsumerMessageSchema = Type.Union([SettleMessageSchema, ConsumerProgressMessageSchema, LookupReplyMessageSchema]);

/** One instrument in a status snapshot. */
export const InstrumentStatusSchema = Type.Object(
  {
    id: Id,
    /** Its thread count. */
    threads: Count,
    /** Threads running jobs now: as the instrument last reported, or min(threads, held) if it does not report it. */
    busy: Count,
    /** Jobs the composer has handed it that have not settled yet (running or waiting there). */
    held: Total,
  },
  closed,
);
/** What the acting composer knows of its network at one moment. */
export const StatusSnapshotSchema = Type.Object(
  {
    /** The instruments that said hello and have not left (at most {@link WIRE_LIMITS.maxItems} listed). */
    instruments: Type.Array(InstrumentStatusSchema, { maxItems: WIRE_LIMITS.maxItems }),
    /** Jobs waiting in the composer's queue. */
    queued: Total,
    /** Jobs handed to instruments and not settled yet. */
    running: Total,
    /** Jobs that succeeded since this composer started acting. */
    done: Total,
    /** Jobs that failed since this composer started acting. */
    failed: Total,
    /** Jobs settled per second over the last few (about 5) seconds. */
    jobsPerSecond: Type.Number({ minimum: 0, maximum: 1e12 }),
    /** How long this composer has been acting, in ms. */
    uptimeMs: Total,
  },
  closed,
);
/** composer → observer (mailbox `observer.<id>`): the answer to a status request. */
export const StatusReplyMessageSchema = Type.Object(
  { v: V, type: Type.Literal('status'), epoch: Epoch, composer: Id, snapshot: StatusSnapshotSchema },
  closed,
);
/** Everything an observer's mailbox may hold. */
export const ObserverMessageSchema = StatusReplyMessageSchema;

export type JobSpec = Static<typeof JobSpecSchema>;
export type Assignment = Static<typeof AssignmentSchema>;
export type Settlement = Static<typeof SettlementSchema>;
export type SubmitMessage = Static<typeof SubmitMessageSchema>;
export type CancelRequestMessage = Static<typeof CancelRequestMessageSchema>;
export type HelloMessage = Static<typeof HelloMessageSchema>;
export type CancelRunsMessage = Static<typeof CancelRunsMessageSchema>;
export type SyncMessage = Static<typeof SyncMessageSchema>;
export type Backoff = Static<typeof BackoffSchema>;
export type CreditMessage = Static<typeof CreditMessageSchema>;
export type DoneMessage = Static<typeof DoneMessageSchema>;
export type RunProgressMessage = Static<typeof RunProgressMessageSchema>;
export type LeaveMessage = Static<typeof LeaveMessageSchema>;
export type ComposerMessage = Static<typeof ComposerMessageSchema>;
export type AssignMessage = Static<typeof AssignMessageSchema>;
export type InstrumentMessage = Static<typeof InstrumentMessageSchema>;
export type SettleMessage = Static<typeof SettleMessageSchema>;
export type ConsumerProgressMessage = Static<typeof ConsumerProgressMessageSchema>;
export type ConsumerMessage = Static<typeof ConsumerMessageSchema>;
export type LookupMessage = Static<typeof LookupMessageSchema>;
export type LookupReplyMessage = Static<typeof LookupReplyMessageSchema>;
export type StatusRequestMessage = Static<typeof StatusRequestMessageSchema>;
export type InstrumentStatus = Static<typeof InstrumentStatusSchema>;
export type StatusSnapshot = Static<typeof StatusSnapshotSchema>;
export type StatusReplyMessage = Static<typeof StatusReplyMessageSchema>;
export type ObserverMessage = Static<typeof ObserverMessageSchema>;
