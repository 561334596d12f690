-- Reads the operational state as of one sequence, atomically.
-- KEYS: 1 seq, 2 epoch, 3 open set, 4 day counts
-- ARGV: 1 event-key prefix, 2 epoch to create if none
-- Returns {epoch, seq, {kind, count, ...}, {event JSON, ...}}.
-- The event keys are derived from the open set (same {live} slot as KEYS).
redis.call('SET', KEYS[2], ARGV[2], 'NX')
local epoch = redis.call('GET', KEYS[2])
local seq = redis.call('GET', KEYS[1]) or '0'
local day = redis.call('HGETALL', KEYS[4])
local ids = redis.call('ZRANGE', KEYS[3], 0, -1)
local events = {}
for i, id in ipairs(ids) do
  local ev = redis.call('GET', ARGV[1] .. id)
  if ev then
    events[#events + 1] = ev
  end
end
return {epoch, seq, day, events}
