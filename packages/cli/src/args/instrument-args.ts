import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { CliUsageError } from '../errors.js';
import { INSTRUMENT_USAGE } from '../usage.js';
import { integerArg } from './integer-arg.js';
import { NETWORK_OPTIONS, networkSettings, type NetworkSettings } from './network-args.js';
import { parseOptions } from './parse-options.js';
import { RESOURCE_LIMIT_OPTIONS, resourceLimitArgs, type ResourceLimits } from './resource-limit-args.js';
import { roleIdArg } from './role-id-arg.js';

/** What `orchestra instrument` was asked to do. */
export interface InstrumentArgs {
  readonly network: NetworkSettings;
  /** The workspace folder, absolute (a relative `--workspace` is taken from the current folder). */
  readonly workspace: string;
  readonly threads: number;
  /** Undefined: the instrument makes a unique id. */
  readonly id: string | undefined;
  /** How long a graceful stop lets running jobs finish before handing them back. */
  readonly closeGraceMs: number;
  /** Memory limits of each thread, in MB (`--max-old-generation-mb` and co.); empty: Node's defaults. */
  readonly resourceLimits: ResourceLimits;
}

const OPTIONS = {
  ...NETWORK_OPTIONS,
  workspace: { type: 'string' },
  threads: { type: 'string' },
  id: { type: 'string' },
  'close-grace-ms': { type: 'string' },
  ...RESOURCE_LIMIT_OPTIONS,
} as const;

/** Parses `orchestra instrument`'s arguments; `'help'` when help was asked for. */
export function parseInstrumentArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  cwd: string = process.cwd(),
): InstrumentArgs | 'help' {
  const values = parseOptions(args, OPTIONS, INSTRUMENT_USAGE);
  if (values.help === true) return 'help';
  if (values.workspace === undefined || values.workspace === '') {
    throw new CliUsageError('--workspace DIR is required: the folder of job scripts', INSTRUMENT_USAGE);
  }
  return {
    network: networkSettings(values, env, INSTRUMENT_USAGE),
    workspace: resolve(cwd, values.workspace),
    threads: integerArg(values.threads, 'threads', availableParallelism(), { min: 1, max: 1024 }, INSTRUMENT_USAGE),
    id: roleIdArg(values.id, INSTRUMENT_USAGE),
    closeGraceMs: integerArg(values['close-grace-ms'], 'close-grace-ms', 30_000, { min: 1, max: 86_400_000 }, INSTRUMENT_USAGE),
    resourceLimits: resourceLimitArgs(values, INSTRUMENT_USAGE),
  };
}
