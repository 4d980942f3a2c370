import { COMPOSER_USAGE } from '../usage.js';
import { integerArg } from './integer-arg.js';
import { NETWORK_OPTIONS, networkSettings, type NetworkSettings } from './network-args.js';
import { parseOptions } from './parse-options.js';
import { roleIdArg } from './role-id-arg.js';

/** What `orchestra composer` was asked to do. */
export interface ComposerArgs {
  readonly network: NetworkSettings;
  /** Undefined: the composer makes a unique id. */
  readonly id: string | undefined;
  readonly leaseMs: number;
  readonly instrumentLeaseMs: number;
}

const OPTIONS = {
  ...NETWORK_OPTIONS,
  id: { type: 'string' },
  'lease-ms': { type: 'string' },
  'instrument-lease-ms': { type: 'string' },
} as const;

/** Parses `orchestra composer`'s arguments; `'help'` when help was asked for. */
export function parseComposerArgs(args: readonly string[], env: Readonly<Record<string, string | undefined>>): ComposerArgs | 'help' {
  const values = parseOptions(args, OPTIONS, COMPOSER_USAGE);
  if (values.help === true) return 'help';
  return {
    network: networkSettings(values, env, COMPOSER_USAGE),
    id: roleIdArg(values.id, COMPOSER_USAGE),
    leaseMs: integerArg(values['lease-ms'], 'lease-ms', 5_000, { min: 100, max: 86_400_000 }, COMPOSER_USAGE),
    instrumentLeaseMs: integerArg(values['instrument-lease-ms'], 'instrument-lease-ms', 5_000, { min: 100, max: 86_400_000 }, COMPOSER_USAGE),
  };
}
