import { STATUS_USAGE } from '../usage.js';
import { integerArg } from './integer-arg.js';
import { NETWORK_OPTIONS, networkSettings, type NetworkSettings } from './network-args.js';
import { parseOptions } from './parse-options.js';

/** What `orchestra status` was asked to do. */
export interface StatusArgs {
  readonly network: NetworkSettings;
  /** Print JSON instead of the table. */
  readonly json: boolean;
  /** How long to wait for the composer's answer, in ms. */
  readonly timeoutMs: number;
}

const OPTIONS = { ...NETWORK_OPTIONS, json: { type: 'boolean' }, timeout: { type: 'string' } } as const;

/** Parses `orchestra status`'s arguments; `'help'` when help was asked for. */
export function parseStatusArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>>): StatusArgs | 'help' {
  const values = parseOptions(args, OPTIONS, STATUS_USAGE);
  if (values.help === true) return 'help';
  return {
    network: networkSettings(values, env, STATUS_USAGE),
    json: values.json === true,
    timeoutMs: integerArg(values.timeout, 'timeout', 5_000, { min: 1, max: 3_600_000 }, STATUS_USAGE),
  };
}
