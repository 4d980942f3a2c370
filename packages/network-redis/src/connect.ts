import type { Cluster, Redis } from 'ioredis';
import { RedisConnectionError, RedisEvictionPolicyError } from './errors.js';

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

/** However long the connection itself took, the memory policy check gets at least this long. */
const MIN_CHECK_MS = 1_000;

/**
 * The memory policy check, as `connect()` waits for it: a refused policy rejects as it is; failing
 * to read the policy, or no answer within what is left of `timeoutMs` (at least
 * {@link MIN_CHECK_MS}), is a RedisConnectionError.
 */
export function checkWithin(check: Promise<void>, target: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new RedisConnectionError(`Redis at ${target} answered, but not the check of its maxmemory-policy within the connect timeout`));
    }, Math.max(timeoutMs, MIN_CHECK_MS));
    check.then(
      () => {
        clearTimeout(timer);
        resolve();
      },
      (error: unknown) => {
        clearTimeout(timer);
        if (error instanceof RedisEvictionPolicyError) reject(error);
        else reject(new RedisConnectionError(`Redis at ${target} answered, but reading its maxmemory-policy failed: ${messageOf(error)}`, { cause: error }));
      },
    );
  });
}
