import { availableParallelism } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { parseComposerArgs } from '../src/args/composer-args.js';
import { parseInstrumentArgs } from '../src/args/instrument-args.js';
import { parseStatusArgs } from '../src/args/status-args.js';
import { CliUsageError } from '../src/errors.js';
import { COMPOSER_USAGE, INSTRUMENT_USAGE, STATUS_USAGE } from '../src/usage.js';

const noEnv = {};

/** The CliUsageError `parse` throws. */
function usageError(parse: () => unknown): CliUsageError {
  try {
    parse();
  } catch (error) {
    if (error instanceof CliUsageError) return error;
    throw error;
  }
  throw new TypeError('expected a CliUsageError');
}

describe('network options', () => {
  it('default to a local Redis, namespace "default" and a 5 s connect timeout', () => {
    expect(parseStatusArgs([], noEnv)).toEqual({
      network: { url: 'redis://127.0.0.1:6379', namespace: 'default', connectTimeoutMs: 5_000 },
      json: false,
      timeoutMs: 5_000,
    });
  });

  it('fall back to ORCHESTRA_REDIS_URL and ORCHESTRA_NAMESPACE, and options win over them', () => {
    const env = { ORCHESTRA_REDIS_URL: 'redis://env:1', ORCHESTRA_NAMESPACE: 'from-env' };
    expect(parseStatusArgs([], env)).toMatchObject({ network: { url: 'redis://env:1', namespace: 'from-env' } });
    expect(parseStatusArgs(['--redis', 'redis://opt:2', '--namespace=opt'], env)).toMatchObject({
      network: { url: 'redis://opt:2', namespace: 'opt' },
    });
    // An empty variable counts as unset.
    expect(parseStatusArgs([], { ORCHESTRA_NAMESPACE: '' })).toMatchObject({ network: { namespace: 'default' } });
  });

  it('take --connect-timeout in ms', () => {
    expect(parseComposerArgs(['--connect-timeout', '250'], noEnv)).toMatchObject({ network: { connectTimeoutMs: 250 } });
    expect(usageError(() => parseComposerArgs(['--connect-timeout', '0'], noEnv)).message).toContain('--connect-timeout');
  });
});

describe('orchestra composer arguments', () => {
  it('take an id and a lease length', () => {
    expect(parseComposerArgs(['--id', 'composer-1', '--lease-ms', '3000'], noEnv)).toMatchObject({ id: 'composer-1', leaseMs: 3_000 });
    expect(parseComposerArgs([], noEnv)).toMatchObject({ id: undefined, leaseMs: 5_000, instrumentLeaseMs: 5_000 });
    expect(parseComposerArgs(['--instrument-lease-ms', '2500'], noEnv)).toMatchObject({ instrumentLeaseMs: 2_500 });
  });

  it('refuse what is not a valid id or lease, with the composer usage', () => {
    const error = usageError(() => parseComposerArgs(['--id', 'has space'], noEnv));
    expect(error.message).toContain('--id');
    expect(error.usage).toBe(COMPOSER_USAGE);
    expect(usageError(() => parseComposerArgs(['--lease-ms', '99'], noEnv)).message).toContain('from 100');
    expect(usageError(() => parseComposerArgs(['--lease-ms', '1e4'], noEnv)).message).toContain('"1e4"');
  });

  it('answer --help and -h', () => {
    expect(parseComposerArgs(['--help'], noEnv)).toBe('help');
    expect(parseComposerArgs(['-h', '--lease-ms', 'nonsense'], noEnv)).toBe('help');
  });

  it('refuse unknown options, missing values and stray arguments', () => {
    expect(usageError(() => parseComposerArgs(['--bogus'], noEnv)).message).toBe("Unknown option '--bogus'");
    expect(usageError(() => parseComposerArgs(['--id'], noEnv)).message).toContain("'--id <value>' argument missing");
    expect(usageError(() => parseComposerArgs(['extra'], noEnv)).message).toBe("Unexpected argument 'extra'");
  });
});

describe('orchestra instrument arguments', () => {
  it('need --workspace, taken from the current folder when relative', () => {
    expect(usageError(() => parseInstrumentArgs([], noEnv)).usage).toBe(INSTRUMENT_USAGE);
    expect(parseInstrumentArgs(['--workspace', 'jobs'], noEnv, '/srv/app')).toMatchObject({ workspace: '/srv/app/jobs' });
    expect(parseInstrumentArgs(['--workspace', '/abs/jobs'], noEnv, '/srv/app')).toMatchObject({ workspace: '/abs/jobs' });
    expect(parseInstrumentArgs(['--workspace', '/w'], noEnv)).toMatchObject({ closeGraceMs: 30_000 });
    expect(parseInstrumentArgs(['--workspace', '/w', '--close-grace-ms', '500'], noEnv)).toMatchObject({ closeGraceMs: 500 });
    expect(usageError(() => parseInstrumentArgs(['--workspace', '/w', '--close-grace-ms', '0'], noEnv)).usage).toBe(INSTRUMENT_USAGE);
  });

  it('run one thread per core unless --threads says otherwise', () => {
    expect(parseInstrumentArgs(['--workspace', '/w'], noEnv)).toMatchObject({ threads: availableParallelism(), id: undefined });
    expect(parseInstrumentArgs(['--workspace', '/w', '--threads', '3', '--id', 'gpu-box.1'], noEnv)).toMatchObject({
      threads: 3,
      id: 'gpu-box.1',
    });
    for (const bad of ['0', '-1', 'two', '2.5', '']) {
      expect(() => parseInstrumentArgs(['--workspace', '/w', `--threads=${bad}`], noEnv)).toThrow(CliUsageError);
    }
  });
});

describe('orchestra status arguments', () => {
  it('take --json and --timeout', () => {
    expect(parseStatusArgs(['--json', '--timeout', '1500'], noEnv)).toMatchObject({ json: true, timeoutMs: 1_500 });
    const error = usageError(() => parseStatusArgs(['--timeout', 'soon'], noEnv));
    expect(error.usage).toBe(STATUS_USAGE);
    expect(usageError(() => parseStatusArgs(['--json=yes'], noEnv)).message).toContain('does not take an argument');
  });
});
