-- Claims the SLA deadlines due now: returns them and pushes each one's score
-- to now + lease, in one step, so two replicas never claim the same
-- deadline at once. A claimed deadline stays queued: update.lua removes it
-- when its update is appended (and refuses a second one), Drop removes it
-- when it no longer applies; a claimer that dies leaves it to come due
-- again when the lease ends.
-- KEYS: 1 SLA due set
-- ARGV: 1 now (Unix ms), 2 lease (ms), 3 max deadlines
-- Returns the claimed members.
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[3]))
local lease = tonumber(ARGV[1]) + tonumber(ARGV[2])
for _, m in ipairs(due) do
  redis.call('ZADD', KEYS[1], 'XX', lease, m)
end
return due
