import type { RedisOptions } from 'ioredis';

/**
 * ioredis options for `RedisNetwork`: anything ioredis takes (TLS, sentinels, ACL user and
 * password, timeouts) except `replyMapping` and `protocol`, which the network sets itself (RESP2)
 * because it reads replies.
 */
export type RedisConnectionOptions = Omit<RedisOptions, 'replyMapping' | 'protocol'>;
