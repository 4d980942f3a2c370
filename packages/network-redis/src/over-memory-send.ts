import type { Cluster, Redis } from 'ioredis';

/**
 * XADD (and, for a mailbox that expires, PEXPIRE) in a script flagged `allow-oom`, which Redis 7
 * runs even when it is out of memory under `noeviction`. Used for the messages that let memory be
 * freed (settlements, cancellations, heartbeats): they are small, and refusing them would freeze
 * a full Redis for good, since the submissions they settle are only deleted once they arrive.
 * KEYS[1] mailbox stream. ARGV[1] the messages' JSON, ARGV[2] ms to expire after, or '' for none.
 */
const SEND_OVER_MEMORY = `#!lua flags=allow-oom
local id = redis.call('XADD', KEYS[1], '*', 'm', ARGV[1])
if ARGV[2] ~= '' then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return id
`;

/** Redis before 7.0 reads the `#!lua` line as Lua and fails to compile it. */
function isUnsupported(error: unknown): boolean {
  return error instanceof Error && /Error compiling script|unexpected symbol near '#'|Unknown lua shebang|Unexpected flag/i.test(error.message);
}

/**
 * Sends that a full Redis still accepts, where it can: on Redis 7 or later, through an `allow-oom`
 * script; on older Redis (no script flags), as plain sends, which a full Redis refuses like any
 * other. Which it is is learnt from the first attempt.
 */
export class OverMemorySend {
  readonly #client: Redis | Cluster;
  #supported = true;

  constructor(client: Redis | Cluster) {
    this.#client = client;
  }

  /** Sends `text` to the stream `key`; false when this Redis has no script flags (the caller sends plainly). */
  async send(key: string, text: string, expireAfterMs: number | undefined): Promise<boolean> {
    if (!this.#supported) return false;
    try {
      await this.#client.eval(SEND_OVER_MEMORY, 1, key, text, expireAfterMs === undefined ? '' : String(expireAfterMs));
      return true;
    } catch (error) {
      if (!isUnsupported(error)) throw error;
      this.#supported = false;
      return false;
    }
  }
}
