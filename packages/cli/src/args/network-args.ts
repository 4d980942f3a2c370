import { CliUsageError } from '../errors.js';
import { integerArg } from './integer-arg.js';

/** The options every command takes to reach its network. */
export const NETWORK_OPTIONS = {
  redis: { type: 'string' },
  namespace: { type: 'string' },
  'connect-timeout': { type: 'string' },
  'allow-eviction': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Where a command's network is, after options and environment are combined. */
export interface NetworkSettings {
  /** The Redis URL (may hold a password: print `RedisNetwork.target` instead). */
  readonly url: string;
  readonly namespace: string;
  readonly connectTimeoutMs: number;
  /** `--allow-eviction`: run on a Redis that may evict keys (and so lose jobs). Absent: refuse it. */
  readonly allowEviction?: true;
}

/** Defaults, used when neither an option nor an environment variable says otherwise. */
export const NETWORK_DEFAULTS = {
  url: 'redis://127.0.0.1:6379',
  namespace: 'default',
  connectTimeoutMs: 5_000,
} as const;

function fromEnv(env: Readonly<Record<string, string | undefined>>, name: string): string | undefined {
  const value = env[name];
  return value === undefined || value === '' ? undefined : value;
}

/**
 * Combines the network options with their environment fallbacks (`ORCHESTRA_REDIS_URL`,
 * `ORCHESTRA_NAMESPACE`): an option wins over the environment, which wins over the default.
 */
export function networkSettings(
  values: {
    readonly redis?: string | undefined;
    readonly namespace?: string | undefined;
    readonly 'connect-timeout'?: string | undefined;
    readonly 'allow-eviction'?: boolean | undefined;
  },
  env: Readonly<Record<string, string | undefined>>,
  usage: string,
): NetworkSettings {
  const url = values.redis ?? fromEnv(env, 'ORCHESTRA_REDIS_URL') ?? NETWORK_DEFAULTS.url;
  const namespace = values.namespace ?? fromEnv(env, 'ORCHESTRA_NAMESPACE') ?? NETWORK_DEFAULTS.namespace;
  if (url === '') throw new CliUsageError('--redis must not be empty', usage);
  if (namespace === '') throw new CliUsageError('--namespace must not be empty', usage);
  const connectTimeoutMs = integerArg(values['connect-timeout'], 'connect-timeout', NETWORK_DEFAULTS.connectTimeoutMs, { min: 1, max: 3_600_000 }, usage);
  return { url, namespace, connectTimeoutMs, ...(values['allow-eviction'] === true ? { allowEviction: true } : {}) };
}
