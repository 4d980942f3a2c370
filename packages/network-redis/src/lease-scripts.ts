/**
 * How much longer than the lease the `lease-until` key lives: its time to live, less this, is when
 * the last grant or renewal runs out. A time to live, not a value, so that renewing needs only
 * PEXPIRE, which a Redis out of memory (noeviction) still accepts, where SET is refused.
 */
export const UNTIL_MARGIN_MS = 86_400_000;

/**
 * Takes or renews a lease in one atomic step.
 *
 * KEYS[1] the lease (holder, with PX ttl), KEYS[2] the epoch counter (the last epoch granted),
 * KEYS[3] the lease's end: a key whose time to live is the lease's plus {@link UNTIL_MARGIN_MS}.
 * ARGV[1] holder, ARGV[2] ttl in ms, ARGV[3] the epoch this holder was last granted (0 if none),
 * ARGV[4] '1' when the caller has seen the lease key missing for a whole ttl, else '0',
 * ARGV[5] {@link UNTIL_MARGIN_MS}. Numbers are written with %.0f: Redis may print a large Lua
 * number in exponent form.
 *
 * Returns `{epoch, resumed, wait}`: epoch 0 when the lease is not granted, with `wait` the ms the
 * current holder may still believe it holds the lease (-2: unknown, the key and its end both lost).
 *
 * A missing lease key whose time has not run out was lost (deleted, evicted) under a holder that
 * still acts: nobody else may take it before that time, and the holder takes it back on its next
 * renewal. Epochs never go back, whatever Redis forgets: a new epoch is more than the counter and at
 * least Redis's clock in ms, and a holder renewing restores a lost counter. `resumed` is 1 when the
 * grant goes to the holder of the epoch just before, nobody having held the lease in between: its
 * state is still the newest (a composer that only stalled keeps its queue). Renewing writes with
 * PEXPIRE only (the repairs go through pcall), so a full Redis still lets the holder renew.
 */
export const ACQUIRE_LEASE = `
local ttl = tonumber(ARGV[2])
local mine = tonumber(ARGV[3])
local margin = tonumber(ARGV[5])
local current = redis.call('GET', KEYS[1])
local counter = tonumber(redis.call('GET', KEYS[2]) or '')
if current == ARGV[1] then
  if counter == nil or counter < mine then
    counter = mine
    redis.pcall('SET', KEYS[2], string.format('%.0f', counter))
  end
  redis.call('PEXPIRE', KEYS[1], ttl)
  if redis.call('PEXPIRE', KEYS[3], ttl + margin) == 0 then
    redis.pcall('SET', KEYS[3], '1', 'PX', ttl + margin)
  end
  return {counter, 0, 0}
end
if current then
  return {0, 0, redis.call('PTTL', KEYS[1])}
end
local ours = mine > 0 and counter == mine
if not current and not ours and counter ~= nil then
  local left = redis.call('PTTL', KEYS[3])
  if left < 0 then
    if ARGV[4] ~= '1' then return {0, 0, -2} end
  elseif left > margin then
    return {0, 0, left - margin}
  end
end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local epoch = math.max((counter or 0) + 1, now)
redis.call('SET', KEYS[2], string.format('%.0f', epoch))
redis.call('SET', KEYS[1], ARGV[1], 'PX', ttl)
redis.call('SET', KEYS[3], '1', 'PX', ttl + margin)
return {epoch, ours and 1 or 0, 0}
`;

/**
 * Gives a lease up if the holder holds it: deletes the key and marks its end as now, so the next
 * holder may take it at once; the epoch counter stays, so the next holder's epoch is larger.
 * KEYS[1] lease, KEYS[2] its end. ARGV[1] holder, ARGV[2] {@link UNTIL_MARGIN_MS}.
 * Returns 1 if released, 0 otherwise.
 */
export const RELEASE_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('DEL', KEYS[1])
  redis.call('PEXPIRE', KEYS[2], ARGV[2])
  return 1
end
return 0
`;
