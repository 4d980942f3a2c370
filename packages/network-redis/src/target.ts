import type { RedisConnectionOptions } from './connection-options.js';

/** Where a network connects, for messages: the URL without its password, or host:port from options. */
export function describeTarget(urlOrOptions: string | RedisConnectionOptions): string {
  if (typeof urlOrOptions === 'string') {
    try {
      const url = new URL(urlOrOptions);
      if (url.password !== '') url.password = '***';
      return url.toString();
    } catch {
      return '(an invalid URL)';
    }
  }
  if (urlOrOptions.sentinels !== undefined) return `sentinels for ${urlOrOptions.name ?? '(unnamed master)'}`;
  if (urlOrOptions.path !== undefined) return urlOrOptions.path;
  const scheme = urlOrOptions.tls === undefined ? 'redis' : 'rediss';
  return `${scheme}://${urlOrOptions.host ?? '127.0.0.1'}:${String(urlOrOptions.port ?? 6379)}`;
}
