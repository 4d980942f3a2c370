import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { UsageError, messageOf } from './errors.js';
import { integerOption } from './integer-option.js';
import { SCAN_DEFAULTS, type ScanConfig } from './scan-config.js';

/** `pnpm scan --help`. */
export const SCAN_USAGE = `Usage: pnpm scan --bucket NAME [options]

Finds every record with the given error code in the gzipped ld-json objects under a prefix, on every
core (or on the instruments of a Redis network), and writes the matches to DIR/output-<worker id>.ldjson.

  --bucket NAME          The bucket (required)
  --prefix TEXT          Only keys starting with TEXT (default: the whole bucket)
  --error-code N         The error code to find in each record's "error" field (default ${SCAN_DEFAULTS.errorCode})
  --from TIME            Only records whose "time" is at or after TIME (ISO 8601)
  --to TIME              Only records whose "time" is before TIME (ISO 8601)
  --out DIR              Output folder (default "${SCAN_DEFAULTS.out}"); earlier output-*.ldjson files in it are removed
  --threads N            Worker threads on this machine (default: its cores, ${availableParallelism()} here)
  --network mem|redis    mem: this machine; redis: the instruments of a Redis network (default ${SCAN_DEFAULTS.network})
  --redis URL            The Redis of --network redis (env ORCHESTRA_REDIS_URL; default redis://127.0.0.1:6379)
  --namespace NAME       The Orchestra namespace on that Redis (env ORCHESTRA_NAMESPACE; default "default")
  --concurrency N        Objects each thread reads at once (default ${SCAN_DEFAULTS.concurrency})
  --attempts N           Reads of an object before it is reported unreadable (default ${SCAN_DEFAULTS.attempts})
  --strict               Parse every line (counts every malformed line; slower)
  --json                 Print the summary as one JSON line
  --help                 This text

S3 comes from the standard AWS environment (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_PROFILE, ...). With
AWS_ENDPOINT_URL set, requests go there with path-style addressing (any S3-compatible server).
Exit code: 0 when every object was read, 1 when some could not be, 2 for a bad command line.`;

/** A parsed command line: the scan to run, or a request for help. */
export type ScanCommand = { readonly help: true } | { readonly help: false; readonly config: ScanConfig; readonly json: boolean };

/** Parses `pnpm scan`'s arguments; throws `UsageError` naming what is wrong. */
export function parseScanArgs(args: readonly string[], env: NodeJS.ProcessEnv = process.env): ScanCommand {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: false,
      options: {
        bucket: { type: 'string' },
        prefix: { type: 'string' },
        'error-code': { type: 'string' },
        from: { type: 'string' },
        to: { type: 'string' },
        out: { type: 'string' },
        threads: { type: 'string' },
        network: { type: 'string' },
        redis: { type: 'string' },
        namespace: { type: 'string' },
        concurrency: { type: 'string' },
        attempts: { type: 'string' },
        strict: { type: 'boolean' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError(messageOf(error));
  }
  if (values.help === true) return { help: true };
  if (values.bucket === undefined || values.bucket === '') throw new UsageError('--bucket is required');
  const network = values.network ?? SCAN_DEFAULTS.network;
  if (network !== 'mem' && network !== 'redis') throw new UsageError(`--network must be mem or redis, got "${network}"`);
  if (values.redis !== undefined && network !== 'redis') throw new UsageError('--redis needs --network redis');
  if (values.threads !== undefined && network === 'redis') throw new UsageError('--threads is for --network mem; with redis the instruments decide');
  const fromMs = time('--from', values.from);
  const toMs = time('--to', values.to);
  if (fromMs !== undefined && toMs !== undefined && fromMs >= toMs) throw new UsageError('--from must be before --to');
  const threads = values.threads === undefined ? undefined : integerOption('--threads', values.threads, 0, 1);
  const redisUrl = values.redis ?? env['ORCHESTRA_REDIS_URL'];
  const namespace = values.namespace ?? env['ORCHESTRA_NAMESPACE'];
  const config: ScanConfig = {
    bucket: values.bucket,
    prefix: values.prefix ?? '',
    rule: {
      errorCode: integerOption('--error-code', values['error-code'], SCAN_DEFAULTS.errorCode),
      ...(fromMs === undefined ? {} : { fromMs }),
      ...(toMs === undefined ? {} : { toMs }),
    },
    out: values.out ?? SCAN_DEFAULTS.out,
    ...(threads === undefined ? {} : { threads }),
    network,
    ...(network === 'redis' && redisUrl !== undefined ? { redisUrl } : {}),
    ...(network === 'redis' && namespace !== undefined ? { namespace } : {}),
    strict: values.strict ?? SCAN_DEFAULTS.strict,
    concurrency: integerOption('--concurrency', values.concurrency, SCAN_DEFAULTS.concurrency, 1),
    attempts: integerOption('--attempts', values.attempts, SCAN_DEFAULTS.attempts, 1),
    retryDelayMs: SCAN_DEFAULTS.retryDelayMs,
  };
  return { help: false, config, json: values.json ?? false };
}

function time(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  // ISO 8601 dates and date-times only: Date.parse alone would also take "March 7" and "1".
  const value = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(value)) throw new UsageError(`${flag} must be an ISO 8601 time (2017-11-03 or 2017-11-03T12:00:00Z), got "${text}"`);
  return value;
}
