import { InvalidArgumentError, type Logger } from '@orchestra/core';
import { RedisConnectionError, RedisEvictionPolicyError, RedisNetwork } from '@orchestra/network-redis';
import type { NetworkSettings } from '../args/network-args.js';
import { CliFailure, CliUsageError } from '../errors.js';

/** The most telling message in an error and its causes (a refused connection's own reason, for one). */
function reasonOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return String(error);
  const { message, cause, errors, code, name } = error as { message?: unknown; cause?: unknown; errors?: unknown; code?: unknown; name?: unknown };
  if (typeof cause === 'object' && cause !== null) return reasonOf(cause);
  if (typeof message === 'string' && message !== '') return message;
  // Node reports a failed connection to every address of a host as an AggregateError with no message.
  if (Array.isArray(errors) && errors.length > 0) return reasonOf(errors[0]);
  return typeof code === 'string' ? code : typeof name === 'string' ? name : 'unknown error';
}

/**
 * Opens the network and waits until Redis answers, so that an unreachable Redis, a wrong password
 * or an untrusted certificate ends the command with one clear line instead of a silent wait.
 * Settings the adapter refuses (a namespace with spaces, an http:// URL) are usage errors.
 * Connection trouble is logged to `logger` only once connected: before that, the one clear line
 * says it all. A Redis that may evict keys ends the command too, unless `--allow-eviction` was
 * given; what the network says about the memory policy (accepted with eviction, or unreadable) is
 * always logged, since no other line says it.
 */
export async function connectNetwork(settings: NetworkSettings, logger: Logger, usage: string): Promise<RedisNetwork> {
  let connected = false;
  const shown = (details: Record<string, unknown> | undefined): boolean => connected || (details !== undefined && 'maxmemoryPolicy' in details);
  const quietUntilConnected: Logger = {
    warn: (message, details) => {
      if (shown(details)) logger.warn(message, details);
    },
    error: (message, details) => {
      if (shown(details)) logger.error(message, details);
    },
  };
  let network: RedisNetwork;
  try {
    network = new RedisNetwork(settings.url, {
      namespace: settings.namespace,
      connectTimeoutMs: settings.connectTimeoutMs,
      logger: quietUntilConnected,
      allowEviction: settings.allowEviction === true,
    });
  } catch (error) {
    if (error instanceof InvalidArgumentError) throw new CliUsageError(error.message, usage);
    throw error;
  }
  try {
    await network.connect();
  } catch (error) {
    await network.close();
    if (error instanceof RedisEvictionPolicyError) {
      const refusal = new RedisEvictionPolicyError(error.node, error.policy, { optOut: '--allow-eviction' });
      throw new CliFailure(refusal.message, { cause: error });
    }
    if (!(error instanceof RedisConnectionError)) throw error;
    const reason = error.cause === undefined ? `no answer within ${String(settings.connectTimeoutMs)} ms` : reasonOf(error);
    throw new CliFailure(`cannot reach Redis at ${network.target}: ${reason}`, { cause: error });
  }
  connected = true;
  return network;
}
