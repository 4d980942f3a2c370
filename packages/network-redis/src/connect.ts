import type { Cluster, Redis } from 'ioredis';
import { RedisConnectionError } from './errors.js';

/**
 * Error codes and replies that retrying cannot fix: wrong credentials and untrusted certificates.
 * These fail at once rather than after the timeout, and never fall back to anything weaker.
 */
function isPermanent(error: unknown): boolean {
  // Duck-typed rather than `instanceof Error`: TLS errors are made by Node itself, which may be
  // another realm than the caller's (a vm context, a test runner's sandbox).
  if (typeof error !== 'object' || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && (code.startsWith('ERR_TLS') || code.includes('CERT') || code.includes('SIGNATURE'))) return true;
  return typeof message === 'string' && /^(WRONGPASS|NOAUTH|NOPERM)|invalid (username|password)/i.test(message);
}

function messageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : String(error);
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
        finish(new RedisConnectionError(`Redis at ${target} refused the connection: ${messageOf(error)}`, { cause: error }));
      }
    };
    const timer = setTimeout(() => {
      const reason = lastError === undefined ? '' : `: ${messageOf(lastError)}`;
      finish(new RedisConnectionError(`Cannot reach Redis at ${target} within ${timeoutMs} ms${reason}`, { cause: lastError }));
    }, timeoutMs);
    client.on('ready', onReady);
    client.on('error', onError);
  });
}
