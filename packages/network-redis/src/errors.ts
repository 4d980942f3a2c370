import { OrchestraError } from '@orchestra/core';

/**
 * Redis could not be reached, refused the credentials, or failed the TLS handshake. Raised by
 * {@link RedisNetwork.connect}; the cause is the client's own error.
 */
export class RedisConnectionError extends OrchestraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ORCHESTRA_REDIS_CONNECTION', message, options);
  }
}

/** A Redis command failed (the connection dropped and did not come back in time, or Redis refused it). */
export class RedisCommandError extends OrchestraError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('ORCHESTRA_REDIS_COMMAND', message, options);
  }
}
