// The RedisNetwork each Orchestra process of the bench uses.
import { RedisNetwork } from '@orchestra/network-redis';
import { redisUrlOptions } from '../redis-url-options.js';

/**
 * A connected RedisNetwork on `url`, as a user would make it. With BENCH_ORCHESTRA_IOREDIS set to a
 * JSON object of ioredis options (e.g. `{"enableAutoPipelining":true}`), it is built from the
 * URL's options plus those instead, to try connection settings.
 */
export async function connectNetwork(url, namespace) {
  const extra = process.env.BENCH_ORCHESTRA_IOREDIS;
  const target = extra ? { ...redisUrlOptions(url), ...JSON.parse(extra) } : url;
  const network = new RedisNetwork(target, { namespace });
  await network.connect();
  return network;
}
