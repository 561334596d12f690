-- Appends one new event to the durable log, atomically with the operational
-- state, unless its kind+source_id was seen before.
-- KEYS: 1 seq, 2 log, 3 idempotency, 4 event state, 5 open set, 6 day counts, 7 epoch,
--       8 SLA due set, 9 the grid's recent-disputes set
-- ARGV: 1 event id, 2 fingerprint, 3 record JSON, 4 event JSON,
--       5 idempotency TTL (s), 6 kind, 7 pub/sub channel, 8 epoch to create if none,
--       9 day-count TTL (s), 10 '1' for a dispute else '0', 11 report time (ms),
--       12 keep disputes reported after (ms), 13 disputes set TTL (s),
--       14... (due ms, member) pairs: its first SLA deadlines, as ZADD takes them
-- Returns {"ok"|"duplicate"|"conflict", event id, seq}.
local prev = redis.call('GET', KEYS[3])
if prev then
  local id, fp, seq = string.match(prev, '^(%S+) (%S+) (%S+)$')
  if fp == ARGV[2] then
    return {'duplicate', id, seq}
  end
  return {'conflict', id, seq}
end
redis.call('SET', KEYS[7], ARGV[8], 'NX')
local seq = redis.call('INCR', KEYS[1])
redis.call('XADD', KEYS[2], seq .. '-0', 'r', ARGV[3])
redis.call('SET', KEYS[4], ARGV[4])
redis.call('ZADD', KEYS[5], seq, ARGV[1])
-- The expiry is set when HINCRBY creates the kind's field (its first report
-- that day); later appends leave it alone (an EXPIRE with every append cost
-- Redis time and AOF bytes). Only this script writes the day's counters.
if redis.call('HINCRBY', KEYS[6], ARGV[6], 1) == 1 then
  redis.call('EXPIRE', KEYS[6], ARGV[9])
end
redis.call('SET', KEYS[3], ARGV[1] .. ' ' .. ARGV[2] .. ' ' .. seq, 'EX', ARGV[5])
if #ARGV > 13 then
  redis.call('ZADD', KEYS[8], 'NX', unpack(ARGV, 14))
end
if ARGV[10] == '1' then
  redis.call('ZADD', KEYS[9], ARGV[11], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[9], '-inf', '(' .. ARGV[12])
  redis.call('EXPIRE', KEYS[9], ARGV[13])
end
redis.call('PUBLISH', ARGV[7], seq .. ' ' .. ARGV[3])
return {'ok', ARGV[1], tostring(seq)}
