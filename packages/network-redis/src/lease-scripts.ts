/**
 * Takes or renews a lease in one atomic step.
 * KEYS[1] lease (holder, with PX ttl), KEYS[2] epoch counter. ARGV[1] holder, ARGV[2] ttl in ms.
 * Returns the epoch when the holder holds the lease now, or 0 while another holder's lease is live.
 */
export const ACQUIRE_LEASE = `
local current = redis.call('GET', KEYS[1])
if current == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return tonumber(redis.call('GET', KEYS[2]) or '0')
end
if current then return 0 end
local epoch = redis.call('INCR', KEYS[2])
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return epoch
`;

/**
 * Gives a lease up if the holder holds it; the epoch counter stays, so the next holder's is larger.
 * KEYS[1] lease. ARGV[1] holder. Returns 1 if released, 0 otherwise.
 */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  return 1
end
return 0
`;
