export { RedisNetwork, type RedisNetworkOptions, type RedisNetworkStats } from './redis-network.js';
export type { RedisClusterConnection, RedisConnection, RedisConnectionOptions } from './connection-options.js';
export {
  RedisCommandError,
  RedisConnectionError,
  RedisEvictionPolicyError,
  RedisOutOfMemoryError,
  type RedisEvictionPolicyErrorOptions,
} from './errors.js';
