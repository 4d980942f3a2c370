// ioredis options (which BullMQ takes too) spelled by a Redis URL.

/** `redis[s]://[user:password@]host:port[/db]` as ioredis options. */
export function redisUrlOptions(url) {
  const parsed = new URL(url);
  const options = { host: parsed.hostname, port: Number(parsed.port || 6379) };
  if (parsed.username) options.username = decodeURIComponent(parsed.username);
  if (parsed.password) options.password = decodeURIComponent(parsed.password);
  if (parsed.pathname.length > 1) options.db = Number(parsed.pathname.slice(1));
  if (parsed.protocol === 'rediss:') options.tls = {};
  return options;
}
