import { AssertionError } from 'node:assert';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Composer } from '@orchestra/composer';
import { Consumer } from '@orchestra/consumer';
import type { Logger, Workspace } from '@orchestra/core';
import { Instrument } from '@orchestra/instrument';
import { MailboxCollector, waitUntil } from '@orchestra/network-conformance';
import { RedisNetwork } from '@orchestra/network-redis';
import { startRedisServer, type RedisServer } from '@orchestra/redis-server';
import { Redis } from 'ioredis';
import { fixtureWorkspace } from './support/orchestra.js';
import { uniqueNamespace } from './support/redis-roles.js';

/** The documented bound of an error message on the wire (docs/architecture.md, "Message schema"). */
const MAX_ERROR_MESSAGE = 8 * 1024 + 64;
/**
 * Huge values go into fields with small limits (ids, script names, keys, error messages). Params
 * just over their 64 MiB limit work too, but reading such an entry takes about 4 s here, most of it
 * ioredis reading the 64 MiB reply, which is the cost of that limit, not of the check.
 */
const HUGE = 8 * 1024 * 1024;
/** A warning about one invalid message must stay far below the payloads it is about. */
const MAX_WARNING_JSON = 64 * 1024;
/** Levels of nesting in the deep cases: far beyond any recursion a role could afford. */
const DEEP = 100_000;
/** How long a valid job may take to settle behind the hostile entries. */
const PROMPTLY_MS = 10_000;

/** `promise`, or a failure naming `what` once `ms` passed without it settling. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AssertionError({ message: `Timed out after ${ms} ms waiting for ${what}` })), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A logger that records every report, with the size of its details as JSON (or -1 if they could not be encoded). */
class RecordingLogger implements Logger {
  /** Reports of an invalid message set aside: what each case must produce. */
  readonly warnings: { message: string; size: number }[] = [];
  /**
   * Every other warning. Under a loaded CI machine a role may also warn about timing (an instrument
   * silent past its lease while the event loop parsed a huge entry); those are not about the input.
   */
  readonly otherWarnings: string[] = [];
  readonly errors: { message: string; size: number }[] = [];

  warn(message: string, details?: Record<string, unknown>): void {
    if (/set aside an invalid message/.test(message)) this.warnings.push({ message, size: jsonSize(details) });
    else this.otherWarnings.push(message);
  }

  error(message: string, details?: Record<string, unknown>): void {
    this.errors.push({ message, size: jsonSize(details) });
  }
}

function jsonSize(value: unknown): number {
  try {
    return JSON.stringify(value ?? null).length;
  } catch {
    return -1;
  }
}

/** One hostile stream entry: its fields as XADD takes them, and how many invalid messages the role must count. */
interface Hostile {
  readonly name: string;
  readonly fields: readonly string[];
  readonly invalid: number;
}

/** An entry whose `m` field is this text; text that is not a JSON array is one invalid message. */
const text = (name: string, m: string, invalid = 1): Hostile => ({ name, fields: ['m', m], invalid });
/** A well-formed entry carrying these messages (raw JSON texts), each of them invalid. */
const batch = (name: string, ...messages: string[]): Hostile => ({ name, fields: ['m', `[${messages.join(',')}]`], invalid: messages.length });
/** A message of `template` with some fields changed (undefined removes one), as JSON text. */
const variant = (template: object, patch: Record<string, unknown>): string => JSON.stringify({ ...template, ...patch });
/** `template` with an own `__proto__` key in front: only raw JSON text makes one. */
const withProto = (template: object, proto = '{"polluted":true}'): string =>
  JSON.stringify(template).replace(/^\{/, `{"__proto__":${proto},`);
/** `[[[…]]]`, `levels` deep. */
const deepArray = (levels: number): string => '['.repeat(levels) + ']'.repeat(levels);
/** `{"a":{"a":…}}`, `levels` deep. */
const deepObject = (levels: number): string => '{"a":'.repeat(levels) + '1' + '}'.repeat(levels);

/** Cases every mailbox must survive, whatever role reads it. */
function commonCases(valid: object): Hostile[] {
  return [
    text('not JSON', 'not json {'),
    text('binary garbage', '\u0000\u00ff\ufffd\u0001]['),
    text('a JSON object, not an array', JSON.stringify(valid)),
    text('a JSON number', '42'),
    text('JSON null', 'null'),
    text('a JSON string', '"[]"'),
    text('an empty array carries no message', '[]', 0),
    { name: 'a wrong field name', fields: ['x', `[${JSON.stringify(valid)}]`], invalid: 1 },
    { name: 'an extra field', fields: ['m', `[${JSON.stringify(valid)}]`, 'n', '1'], invalid: 1 },
    text('unterminated deep nesting', '['.repeat(DEEP)),
    text('terminated deep nesting (one message: the deep array)', `[${deepArray(DEEP)}]`),
    batch('non-objects', '1', '"text"', 'null', 'true', '[]', '{}'),
    batch('deep values in a field', variant(valid, { v: 'X' }).replace('"X"', deepArray(DEEP)), withProto(valid, deepObject(DEEP))),
    batch('wrong v', variant(valid, { v: 2 }), variant(valid, { v: '1' }), variant(valid, { v: 1.5 }), variant(valid, { v: undefined })),
    batch('unknown type', variant(valid, { type: 'drop-table' }), variant(valid, { type: 7 }), variant(valid, { type: undefined })),
    batch('extra fields in a message', variant(valid, { extra: 1 }), variant(valid, { constructor: {} })),
    batch('own __proto__ keys', withProto(valid), withProto({ __unused: 1 }, JSON.stringify(valid)).replace(',"__unused":1', '')),
    batch(
      'huge: an 8 MiB key, an 8 MiB type',
      withProto(valid, '1').replace('"__proto__"', `"${'k'.repeat(HUGE)}"`),
      variant(valid, { type: 't'.repeat(HUGE) }),
    ),
    // 1e999 is how JSON spells Infinity: the parser turns it into one.
    batch('infinite v', variant(valid, { v: 'INF' }).replace('"INF"', '1e999')),
  ];
}

describe('hostile input read from a Redis network is counted, logged and set aside', () => {
  let server: RedisServer;
  let raw: Redis;
  const networks: RedisNetwork[] = [];
  let namespace: string;
  let composer: Composer;
  let instrument: Instrument;
  let consumer: Consumer<Workspace>;
  const logs = { composer: new RecordingLogger(), instrument: new RecordingLogger(), consumer: new RecordingLogger() };
  const networkLog = new RecordingLogger();
  let nextSum = 0;

  const key = (mailbox: string): string => `orchestra:{${namespace}}:mailbox:${mailbox}`;
  const network = (): RedisNetwork => {
    const made = new RedisNetwork(server.url, { namespace, logger: networkLog });
    networks.push(made);
    return made;
  };

  /** Adds a valid job; `settled` checks that it settles promptly with the right sum. */
  async function validJob(): Promise<{ settled: Promise<void> }> {
    nextSum += 1;
    const a = nextSum;
    const b = 1000;
    const { job, result } = await consumer.addJob('add.js', { a, b });
    const settled = within(result, PROMPTLY_MS, `job ${job.id} (${a} + ${b}) to settle`).then((value) => {
      expect(value).toBe(a + b);
    });
    // Awaited later; until then a failure must not count as unhandled.
    settled.catch(() => undefined);
    return { settled };
  }

  /**
   * Sends each hostile entry straight into `mailbox`, with valid jobs before, between and after,
   * and checks that each entry is counted and logged exactly as often as it holds invalid messages.
   */
  async function survive(mailbox: string, cases: readonly Hostile[], invalid: () => number, logger: RecordingLogger): Promise<void> {
    // Jobs in flight the whole time, besides the one after each entry.
    const background = await Promise.all(Array.from({ length: 8 }, () => validJob()));
    for (const hostile of cases) {
      const counted = invalid();
      const warned = logger.warnings.length;
      await raw.xadd(key(mailbox), '*', ...hostile.fields);
      // Added after the entry, so it reaches every mailbox behind it: once it settled, the entry was handled.
      await (await validJob()).settled;
      expect({ case: hostile.name, counted: invalid() - counted, warned: logger.warnings.length - warned }).toEqual({
        case: hostile.name,
        counted: hostile.invalid,
        warned: hostile.invalid,
      });
    }
    await Promise.all(background.map((job) => job.settled));
    for (const warning of logger.warnings) {
      expect(warning.size).toBeGreaterThan(0);
      expect(warning.size).toBeLessThan(MAX_WARNING_JSON);
    }
    expect(logger.errors).toEqual([]);
    expect(Object.prototype).not.toHaveProperty('polluted');
  }

  beforeAll(async () => {
    server = await startRedisServer();
    raw = new Redis(server.url, { protocol: 2 });
    namespace = uniqueNamespace('hostile');
    composer = new Composer(network(), { logger: logs.composer });
    instrument = new Instrument(network(), fixtureWorkspace(), 2, { logger: logs.instrument });
    consumer = new Consumer(network(), fixtureWorkspace(), { logger: logs.consumer });
    await waitUntil(() => composer.stats().acting && composer.stats().instruments === 1, 'the composer acts and knows the instrument', 10_000);
  });

  afterAll(async () => {
    await consumer?.close();
    await instrument?.close();
    await composer?.close();
    await Promise.all(networks.map((made) => made.close()));
    await raw?.quit();
    await server?.stop();
  });

  it('the composer', async () => {
    const job = { id: 'hostile-job', script: 'add.js', params: '{"a":1,"b":2}' };
    const submit = { v: 1, type: 'submit', consumer: 'hostile-consumer', jobs: [job] };
    // Were any of these valid, a ghost instrument would take jobs it never runs, and valid jobs would hang.
    const credit = { v: 1, type: 'credit', instrument: 'ghost', threads: 1, credits: 1 };
    const settlement = { id: 'hostile-job', attempt: 1, ok: true, result: '3' };
    const done = { v: 1, type: 'done', instrument: 'ghost', settlements: [settlement], credits: 1 };
    const cases: Hostile[] = [
      ...commonCases(submit),
      batch('submit: missing fields', variant(submit, { jobs: undefined }), variant(submit, { consumer: undefined })),
      batch('submit: an empty batch', variant(submit, { jobs: [] })),
      batch('submit: a batch over 10,000', variant(submit, { jobs: Array.from({ length: 10_001 }, () => job) })),
      batch('submit: wrong types', variant(submit, { jobs: [{ ...job, params: { a: 1 } }] }), variant(submit, { jobs: job })),
      batch(
        'submit: a non-integer or huge priority',
        variant(submit, { jobs: [{ ...job, priority: 0.5 }] }),
        variant(submit, { jobs: [{ ...job, priority: 1e9 }] }),
      ),
      batch(
        'submit: ids with bad characters',
        variant(submit, { consumer: 'a/b' }),
        variant(submit, { consumer: '' }),
        variant(submit, { consumer: 'x'.repeat(129) }),
        variant(submit, { jobs: [{ ...job, id: 'id with spaces' }] }),
      ),
      batch(
        'submit: a script name over 1,024 characters',
        variant(submit, { jobs: [{ ...job, script: 'a'.repeat(1025) }] }),
        variant(submit, { jobs: [{ ...job, script: 'a'.repeat(HUGE) }] }),
      ),
      batch(
        'submit: an extra field in a job',
        variant(submit, { jobs: [{ ...job, extra: true }] }),
        variant(submit, { jobs: [JSON.parse(withProto(job)) as object] }),
      ),
      batch(
        'credit: negative, non-integer, huge and infinite counts',
        variant(credit, { credits: -1 }),
        variant(credit, { threads: 1.5 }),
        variant(credit, { credits: 1e7 }),
        variant(credit, { busy: -3 }),
        variant(credit, { credits: 'INF' }).replace('"INF"', '1e999'),
      ),
      batch('credit: wrong types', variant(credit, { threads: '2' }), variant(credit, { credits: null }), variant(credit, { instrument: ['ghost'] })),
      batch(
        'done: attempts out of range',
        variant(done, { settlements: [{ ...settlement, attempt: 0 }] }),
        variant(done, { settlements: [{ ...settlement, attempt: 1001 }] }),
        variant(done, { settlements: [{ ...settlement, attempt: -1 }] }),
        variant(done, { settlements: [{ ...settlement, attempt: 1.5 }] }),
      ),
      batch(
        'done: a failure without its error, a success with one',
        variant(done, { settlements: [{ id: 'j', attempt: 1, ok: false }] }),
        variant(done, { settlements: [{ ...settlement, error: { name: 'E', message: 'm' } }] }),
      ),
      batch(
        'submit: job options out of range',
        variant(submit, { jobs: [{ ...job, attempts: 0 }] }),
        variant(submit, { jobs: [{ ...job, attempts: 1001 }] }),
        variant(submit, { jobs: [{ ...job, timeout: 0 }] }),
        variant(submit, { jobs: [{ ...job, timeout: 2 ** 31 }] }),
        variant(submit, { jobs: [{ ...job, backoff: { type: 'linear', delay: 1 } }] }),
        variant(submit, { jobs: [{ ...job, backoff: { type: 'fixed', delay: -1 } }] }),
        variant(submit, { jobs: [{ ...job, backoff: { type: 'fixed', delay: 1, extra: 1 } }] }),
        variant(submit, { resultTtlMs: Number.MAX_SAFE_INTEGER }),
      ),
      batch(
        'hello and cancel: bad counts and ids',
        JSON.stringify({ v: 1, type: 'hello', instrument: 'ghost', threads: 1, credits: -5 }),
        JSON.stringify({ v: 1, type: 'hello', instrument: 'ghost', threads: 1e7, credits: 1 }),
        JSON.stringify({ v: 1, type: 'hello', instrument: '../ghost', threads: 1, credits: 1 }),
        JSON.stringify({ v: 1, type: 'cancel', consumer: 'hostile-consumer', ids: [] }),
        JSON.stringify({ v: 1, type: 'cancel', consumer: 'hostile-consumer', ids: 'hostile-job' }),
        JSON.stringify({ v: 1, type: 'cancel', ids: ['hostile-job'] }),
      ),
      batch('status: a negative expiry', JSON.stringify({ v: 1, type: 'status', replyTo: 'someone', expiresAt: -1 })),
      batch('leave: returned is not a list of ids', JSON.stringify({ v: 1, type: 'leave', instrument: 'ghost', returned: [1] })),
    ];
    await survive('composer', cases, () => composer.stats().invalidMessages, logs.composer);
  });

  it('the composer handles a valid message behind invalid ones in the same entry', async () => {
    const observer = `hostile-${Date.now()}`;
    const status = new MailboxCollector(networks[2] as RedisNetwork, `observer.${observer}`);
    try {
      const counted = composer.stats().invalidMessages;
      await raw.xadd(key('composer'), '*', 'm', `[null,${withProto({ v: 1 })},${JSON.stringify({ v: 1, type: 'status', replyTo: observer })}]`);
      const [reply] = await status.waitFor(1, PROMPTLY_MS);
      expect(reply).toMatchObject({ v: 1, type: 'status', composer: composer.id });
      expect(composer.stats().invalidMessages - counted).toBe(2);
    } finally {
      await status.receiver.close();
      await (networks[2] as RedisNetwork).deleteMailbox(`observer.${observer}`);
    }
  });

  it('an instrument', async () => {
    const epoch = composer.stats().epoch;
    const assignment = { id: 'hostile-job', script: 'add.js', params: '{"a":1,"b":2}', attempt: 1 };
    // Were any of these valid, a larger epoch would fence the real composer out, and valid jobs would hang.
    const assign = { v: 1, type: 'assign', epoch, jobs: [assignment] };
    const cases: Hostile[] = [
      ...commonCases(assign),
      batch(
        'epochs: negative, non-integer, beyond exact integers, infinite',
        variant(assign, { epoch: -1 }),
        variant(assign, { epoch: epoch + 0.5 }),
        variant(assign, { epoch: 2 ** 60 }),
        variant(assign, { epoch: 'INF' }).replace('"INF"', '1e999'),
        variant(assign, { epoch: String(epoch) }),
      ),
      batch(
        'attempts out of range',
        variant(assign, { jobs: [{ ...assignment, attempt: 0 }] }),
        variant(assign, { jobs: [{ ...assignment, attempt: 1001 }] }),
        variant(assign, { jobs: [{ ...assignment, attempt: 2.5 }] }),
      ),
      batch(
        'missing fields',
        variant(assign, { jobs: undefined }),
        variant(assign, { epoch: undefined }),
        variant(assign, { jobs: [{ ...assignment, attempt: undefined }] }),
      ),
      batch('an empty batch, a job that is not an object', variant(assign, { jobs: [] }), variant(assign, { jobs: ['add.js'] })),
      batch(
        'timeouts out of range; cancel and sync with bad epochs or ids',
        variant(assign, { jobs: [{ ...assignment, timeout: 0 }] }),
        variant(assign, { jobs: [{ ...assignment, timeout: -1 }] }),
        JSON.stringify({ v: 1, type: 'cancel', epoch: 2 ** 60, ids: ['hostile-job'] }),
        JSON.stringify({ v: 1, type: 'cancel', epoch, ids: ['a b'] }),
        JSON.stringify({ v: 1, type: 'sync', epoch: -1 }),
        JSON.stringify({ v: 1, type: 'sync', epoch, extra: true }),
      ),
      batch(
        'ids with bad characters',
        variant(assign, { jobs: [{ ...assignment, id: '../../x' }] }),
        variant(assign, { jobs: [{ ...assignment, id: 'é' }] }),
        variant(assign, { jobs: [{ ...assignment, id: 'i'.repeat(HUGE) }] }),
      ),
      batch(
        'extra fields and own __proto__ in a job',
        variant(assign, { jobs: [{ ...assignment, priority: 1 }] }),
        variant(assign, { jobs: [JSON.parse(withProto(assignment)) as object] }),
      ),
      batch('params that are not text', variant(assign, { jobs: [{ ...assignment, params: { a: 1, b: 2 } }] })),
    ];
    await survive(`instrument.${instrument.id}`, cases, () => instrument.stats().invalidMessages, logs.instrument);
    expect(instrument.stats().staleMessages).toBe(0);
  });

  it('a consumer', async () => {
    const settle = { v: 1, type: 'settle', epoch: 1, settlements: [{ id: 'hostile-job', ok: true, result: '3' }] };
    const progress = { v: 1, type: 'progress', epoch: 1, updates: [{ id: 'hostile-job', value: '1' }] };
    const error = { name: 'Error', message: 'boom' };
    const failed = (patch: Record<string, unknown>): string =>
      variant(settle, { settlements: [{ id: 'hostile-job', ok: false, error: { ...error, ...patch } }] });
    let deepCause: Record<string, unknown> = error;
    for (let i = 0; i < 6; i += 1) deepCause = { ...error, cause: deepCause };
    const cases: Hostile[] = [
      ...commonCases(settle),
      batch('progress: wrong types', variant(progress, { updates: [{ id: 'hostile-job', value: 1 }] }), variant(progress, { updates: {} })),
      batch('epochs: negative, non-integer', variant(settle, { epoch: -5 }), variant(settle, { epoch: 0.25 })),
      batch(
        'settlements: missing, empty, not ok or not',
        variant(settle, { settlements: undefined }),
        variant(settle, { settlements: [] }),
        variant(settle, { settlements: [{ id: 'hostile-job', ok: 'yes' }] }),
      ),
      batch(
        'errors: over their bounds',
        failed({ message: 'm'.repeat(MAX_ERROR_MESSAGE + 1) }),
        failed({ stack: 's'.repeat(HUGE) }),
        failed({ issues: Array.from({ length: 21 }, () => ({ path: '/', message: 'm' })) }),
        failed({ cause: deepCause }),
        failed({ name: 1 }),
      ),
      batch(
        'errors: extra fields and own __proto__',
        failed({ extra: 1 }),
        variant(settle, { settlements: [{ id: 'hostile-job', ok: false, error: JSON.parse(withProto(error)) as object }] }),
      ),
      batch(
        'ids with bad characters',
        variant(settle, { settlements: [{ id: 'a b', ok: true }] }),
        variant(progress, { updates: [{ id: '', value: '1' }] }),
      ),
    ];
    await survive(`consumer.${consumer.id}`, cases, () => consumer.stats().invalidMessages, logs.consumer);
  });

  it('left no process-wide damage and no network trouble', () => {
    expect(Object.prototype).not.toHaveProperty('polluted');
    expect([...networkLog.warnings.map((warning) => warning.message), ...networkLog.otherWarnings]).toEqual([]);
    expect(networkLog.errors).toEqual([]);
    expect(consumer.stats().pending).toBe(0);
  });
});
