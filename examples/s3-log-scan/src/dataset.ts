import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { Random } from './random.js';

const gzip = promisify(gzipCallback);

/** The shape of a generated month of logs. */
export interface DatasetSpec {
  /** `YYYY-MM`: keys are `YYYY-MM-DD/app-NNNN.ldjson.gz`, so the month's prefix is `YYYY-MM-`. */
  readonly month: string;
  readonly days: number;
  readonly objectsPerDay: number;
  /** Lines per object, on average (each object has 50% to 150% of it). */
  readonly linesPerObject: number;
  /** The error code of the matches. */
  readonly errorCode: number;
  /** Share of lines that are matches. */
  readonly matchRate: number;
  /** Share of lines that are malformed. */
  readonly malformedRate: number;
  /** Share of lines that hold the code's digits without being a match. */
  readonly decoyRate: number;
  /** Objects under the prefix that are not gzip. */
  readonly unreadable: number;
  readonly seed: number;
}

/** A small default: 30 days of 40 objects (1,200 keys, more than one listing page), about 110 MB of logs. */
export const DEMO_DATASET: DatasetSpec = {
  month: '2017-11',
  days: 30,
  objectsPerDay: 40,
  linesPerObject: 400,
  errorCode: 505,
  matchRate: 0.002,
  malformedRate: 0.0005,
  decoyRate: 0.01,
  unreadable: 0,
  seed: 2017,
};

/** One generated object, with what it holds. */
export interface GeneratedObject {
  readonly key: string;
  readonly body: Buffer;
  readonly uncompressedBytes: number;
  readonly lines: number;
  readonly malformed: number;
  readonly matches: number;
  readonly decoys: number;
  /** `YYYY-MM-DD` of its records. */
  readonly day: string;
  /** Under the month's prefix. */
  readonly inPrefix: boolean;
  readonly readable: boolean;
}

const SERVICES = ['api', 'auth', 'billing', 'search', 'media'];
const PATHS = ['/v1/items', '/v1/users', '/v1/orders', '/v1/search', '/v1/upload'];
const OTHER_ERRORS = [500, 502, 503, 504];

/** The keys and contents of a dataset, object by object (generated lazily: the whole month need not fit in memory). */
export function* datasetObjects(spec: DatasetSpec): Generator<() => Promise<GeneratedObject>> {
  const random = new Random(spec.seed);
  const [year, month] = spec.month.split('-').map(Number) as [number, number];
  const day = (n: number): string => new Date(Date.UTC(year, month - 1, n)).toISOString().slice(0, 10);
  for (let d = 1; d <= spec.days; d += 1) {
    for (let o = 0; o < spec.objectsPerDay; o += 1) {
      const lines = Math.max(1, Math.round(spec.linesPerObject * (0.5 + random.next())));
      const seed = random.below(2 ** 31);
      yield () => logObject(`${day(d)}/app-${String(o).padStart(4, '0')}.ldjson.gz`, day(d), lines, seed, spec, true);
    }
  }
  // Decoys outside the prefix: the last day of the month before and the first of the month after, full of matches.
  const nextMonth = new Date(Date.UTC(year, month, 1)).toISOString().slice(0, 10);
  for (const outside of [day(0), nextMonth]) {
    const seed = random.below(2 ** 31);
    yield () => logObject(`${outside}/app-0000.ldjson.gz`, outside, spec.linesPerObject, seed, { ...spec, matchRate: 0.05 }, false);
  }
  // Empty objects: zero bytes, and a gzip of nothing.
  const first = day(1);
  yield () => Promise.resolve(empty(`${first}/empty-0000.ldjson.gz`, first, Buffer.alloc(0)));
  yield async () => empty(`${first}/empty-0001.ldjson.gz`, first, await gzip(Buffer.alloc(0)));
  for (let u = 0; u < spec.unreadable; u += 1) {
    const body = Buffer.from(`not gzip: a plain text object with error 505 in it (${u})\n`);
    yield () => Promise.resolve({ ...empty(`${first}/broken-${String(u).padStart(4, '0')}.ldjson.gz`, first, body), readable: false });
  }
}

function empty(key: string, day: string, body: Buffer): GeneratedObject {
  return { key, body, uncompressedBytes: 0, lines: 0, malformed: 0, matches: 0, decoys: 0, day, inPrefix: true, readable: true };
}

async function logObject(key: string, day: string, count: number, seed: number, spec: DatasetSpec, inPrefix: boolean): Promise<GeneratedObject> {
  const random = new Random(seed);
  const start = Date.parse(`${day}T00:00:00.000Z`);
  const code = spec.errorCode;
  let matches = 0;
  let malformed = 0;
  let decoys = 0;
  const lines: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const time = new Date(start + Math.floor(((i + random.next()) / count) * 86_400_000)).toISOString();
    const service = random.pick(SERVICES);
    const host = `web-${random.below(16)}`;
    const path = `${random.pick(PATHS)}/${random.below(100_000)}`;
    const latency = random.below(900) + 1;
    const roll = random.next();
    if (roll < spec.matchRate) {
      matches += 1;
      lines.push(`{"time":"${time}","level":"error","service":"${service}","host":"${host}","path":"${path}","latencyMs":${latency},"error":${code},"msg":"HTTP version not supported"}`);
    } else if (roll < spec.matchRate + spec.malformedRate) {
      malformed += 1;
      lines.push(malformedLine(random, time, code));
    } else if (roll < spec.matchRate + spec.malformedRate + spec.decoyRate) {
      decoys += 1;
      lines.push(decoyLine(random, time, service, host, path, code));
    } else if (random.next() < 0.02) {
      lines.push(`{"time":"${time}","level":"error","service":"${service}","host":"${host}","path":"${path}","latencyMs":${latency},"error":${random.pick(OTHER_ERRORS)},"msg":"upstream failed"}`);
    } else {
      lines.push(`{"time":"${time}","level":"info","service":"${service}","host":"${host}","path":"${path}","latencyMs":${latency},"status":200,"msg":"request served"}`);
    }
  }
  const text = Buffer.from(`${lines.join('\n')}\n`);
  return { key, body: await gzip(text), uncompressedBytes: text.length, lines: count, malformed, matches, decoys, day, inPrefix, readable: true };
}

/** A line that is not a JSON object, as logs get them: cut short, plain text, or broken JSON holding the code. */
function malformedLine(random: Random, time: string, code: number): string {
  const kind = random.below(4);
  const record = `{"time":"${time}","level":"error","error":${code},"msg":"cut short"}`;
  if (kind === 0) return record.slice(0, 10 + random.below(record.length - 12)); // never ends with }
  if (kind === 1) return `--- log rotated at ${time} ---`;
  if (kind === 2) return `{"time":"${time}","level":"error","error":${code},}`; // framed, holds the code, invalid
  return `[${code}, "an array is not a record"]`;
}

/** A record that holds the code's digits but is not a match. */
function decoyLine(random: Random, time: string, service: string, host: string, path: string, code: number): string {
  const kind = random.below(5);
  if (kind === 0) return `{"time":"${time}","level":"error","service":"${service}","host":"${host}","path":"${path}","error":500,"status":${code},"msg":"upstream said ${code}"}`;
  if (kind === 1) return `{"time":"${time}","level":"info","service":"${service}","host":"${host}","path":"${path}","latencyMs":${code},"status":200,"msg":"sent ${code} bytes"}`;
  if (kind === 2) return `{"time":"${time}","level":"error","service":"${service}","host":"${host}","path":"${path}","error":"${code}","msg":"the code as a string is not the number"}`;
  if (kind === 3) return `{"time":"${time}","level":"error","service":"${service}","host":"${host}","path":"${path}","error":${code}0,"msg":"a longer code"}`;
  return `{"time":"${time}","level":"warn","service":"${service}","host":"${host}","path":"/v1/items/1${code}","latencyMs":1${code},"msg":"slow"}`;
}
