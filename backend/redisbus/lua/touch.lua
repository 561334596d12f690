-- Resets the idle time of this consumer's own pending entries between two
-- ids, so that no other consumer claims them, and returns their ids.
-- Entries another consumer has claimed meanwhile are left alone: XPENDING
-- with a consumer name lists only this consumer's, and both steps run
-- atomically here, so nothing can move in between.
-- KEYS: 1 stream
-- ARGV: 1 group, 2 consumer, 3 first id, 4 last id, 5 max entries
local pending = redis.call('XPENDING', KEYS[1], ARGV[1], ARGV[3], ARGV[4], ARGV[5], ARGV[2])
local ids = {}
for _, e in ipairs(pending) do
  ids[#ids + 1] = e[1]
end
-- unpack is bounded by Lua's stack: claim in chunks.
for i = 1, #ids, 1000 do
  local chunk = {}
  for j = i, math.min(i + 999, #ids) do
    chunk[#chunk + 1] = ids[j]
  end
  chunk[#chunk + 1] = 'JUSTID' -- no payload back, no delivery count bump
  redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], 0, unpack(chunk))
end
return ids
