/**
 * Forgets a consumer of the group, but only if it holds no pending entry: checking and deleting in
 * one atomic step, so an entry handed to it in between (a stalled receiver's blocked read) is never
 * dropped from the pending list. KEYS[1] stream. ARGV[1] group, ARGV[2] consumer. Returns 1 if
 * deleted, 0 if it still holds entries or the stream is gone.
 */
export const DELETE_IDLE_CONSUMER = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], '-', '+', 1, ARGV[2])
if #pending > 0 then return 0 end
redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
return 1
`;
