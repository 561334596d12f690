-- Appends history records to the log: each gets the next seq, and nothing
-- else happens (no live state, no day counters, no publication).
-- KEYS: 1 seq, 2 log, 3 epoch
-- ARGV: 1 epoch to create if none, 2… record JSON
-- Returns the first seq assigned.
redis.call('SET', KEYS[3], ARGV[1], 'NX')
local n = #ARGV - 1
local first = redis.call('INCRBY', KEYS[1], n) - n + 1
for i = 1, n do
  redis.call('XADD', KEYS[2], (first + i - 1) .. '-0', 'r', ARGV[i + 1])
end
return first
