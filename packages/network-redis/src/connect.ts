import type { Cluster, Redis } from 'ioredis';
import { RedisConnectionError } from './errors.js';

/**
 * Error codes and replies that retrying cannot fix: wrong credentials and untrusted certificates.
 * These fail at once rather than after the timeout, and never fall back to anything weaker.
 */
function isPermanent(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT') || code.includes('SIGNATURE'))) return true;
  return /^(WRONGPASS|NOAUTH|NOPERM)|invalid (username|password)/i.test(error.message);
}

/** Resolves once `client` is ready; rejects with RedisConnectionError on a permanent failure or at the timeout. */
export function waitUntilReady(client: Redis | Cluster, target: string, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return Promise.resolve();
  return new Promise((resolve, reject) => {
    let lastError: unknown;
    const finish = (error?: RedisConnectionError): void => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('error', onError);
      if (error === undefined) resolve();
      else reject(error);
    };
    const onReady = (): void => finish();
    const onError = (error: unknown): void => {
      lastError = error;
      if (isPermanent(error)) {
        finish(new RedisConnectionError(`Redis at ${target} refused the connection: ${(error as Error).message}`, { cause: error }));
      }
    };
    const timer = setTimeout(() => {
      const reason = lastError instanceof Error ? `: ${lastError.message}` : '';
      finish(new RedisConnectionError(`Cannot reach Redis at ${target} within ${timeoutMs} ms${reason}`, { cause: lastError }));
    }, timeoutMs);
    client.on('ready', onReady);
    client.on('error', onError);
  });
}
