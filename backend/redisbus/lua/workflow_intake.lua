-- Starts the SLA clocks of a newly reported event: queues its first
-- deadlines (ingest stamps them into the event) unless a workflow update
-- has touched the event since its report (its updated_at moved on: that
-- update queued them itself, and one that fired must not come back), and
-- notes a dispute's report time in its grid's recent-disputes set.
-- Idempotent: a deadline already queued keeps its place (NX).
-- KEYS: 1 SLA due set, 2 event state, 3 grid's disputes set
-- ARGV: 1 event id, 2 '1' for a dispute else '0', 3 report time (ms),
--       4 keep disputes reported after (ms), 5 disputes set TTL (s),
--       6... (due ms, member) pairs, as ZADD takes them
-- Returns the number of deadlines offered for queueing (0 when skipped).
if ARGV[2] == '1' then
  redis.call('ZADD', KEYS[3], ARGV[3], ARGV[1])
  redis.call('ZREMRANGEBYSCORE', KEYS[3], '-inf', '(' .. ARGV[4])
  redis.call('EXPIRE', KEYS[3], ARGV[5])
end
local cur = redis.call('GET', KEYS[2])
if not cur then
  return 0
end
local ev = cjson.decode(cur)
if ev.updated_at ~= ev.reported_at then
  return 0
end
local n = (#ARGV - 5) / 2
if n > 0 then
  redis.call('ZADD', KEYS[1], 'NX', unpack(ARGV, 6))
end
return n
