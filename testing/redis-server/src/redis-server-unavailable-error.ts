/** No redis-server could be started and no `REDIS_URL` was given; the message says how to get one. */
export class RedisServerUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RedisServerUnavailableError';
  }
}
