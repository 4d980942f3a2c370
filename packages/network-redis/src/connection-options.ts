import type { ClusterNode, ClusterOptions, RedisOptions } from 'ioredis';

/**
 * ioredis options for `RedisNetwork`: anything ioredis takes (TLS, sentinels, ACL user and
 * password, timeouts) except `replyMapping` and `protocol`, which the network sets itself (RESP2)
 * because it reads replies.
 */
export type RedisConnectionOptions = Omit<RedisOptions, 'replyMapping' | 'protocol'>;

/**
 * A Redis Cluster to connect to: its startup nodes and ioredis cluster options. Every key of a
 * network shares one hash tag, so a whole network lives in one slot.
 */
export interface RedisClusterConnection {
  readonly cluster: readonly ClusterNode[];
  readonly options?: Omit<ClusterOptions, 'redisOptions'> & { readonly redisOptions?: Omit<NonNullable<ClusterOptions['redisOptions']>, 'replyMapping' | 'protocol'> };
}

/** What `RedisNetwork` connects to: a URL, ioredis options, or a cluster. */
export type RedisConnection = string | RedisConnectionOptions | RedisClusterConnection;

export function isClusterConnection(connection: RedisConnection): connection is RedisClusterConnection {
  return typeof connection === 'object' && 'cluster' in connection && Array.isArray(connection.cluster);
}
