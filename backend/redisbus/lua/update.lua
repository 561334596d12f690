-- Appends the update records of one workflow commit (one event, or two for
-- a merge) atomically: all or nothing, and only if every event is still at
-- the version the commit was decided on (compare-and-set), and, for a fired
-- SLA deadline, only if that deadline is still queued (so it fires once).
-- KEYS: 1 seq, 2 log, 3 open set, 4 closed set, 5 SLA due set, 6 care-open set,
--       then per item: event state, timeline, care
-- ARGV: 1 pub/sub channel, 2 fired deadline member or '', 3 closed TTL (s),
--       4 timeline cap, 5 now (Unix ms, prunes the closed set), 6 item count,
--       then per item: id, expected version ("<status> <updated_at>"),
--       state JSON, record JSON, change JSON, done ('1'|'0'), done at (ms),
--       care JSON or '' (unchanged), care next due (ms) or '' (none pending),
--       n, n x (member, score) to queue, m, m x member to forget
-- Returns {'ok', seq...}, {'conflict', id}, {'not_found', id} or {'gone'}.
local items = {}
local a = 7
for i = 1, tonumber(ARGV[6]) do
  local k = 6 + 3 * (i - 1)
  local it = {ev = KEYS[k + 1], tl = KEYS[k + 2], care = KEYS[k + 3],
    id = ARGV[a], expect = ARGV[a + 1], state = ARGV[a + 2], record = ARGV[a + 3],
    change = ARGV[a + 4], done = ARGV[a + 5] == '1', doneAt = ARGV[a + 6],
    careJSON = ARGV[a + 7], careNext = ARGV[a + 8], add = {}, rem = {}}
  a = a + 9
  for _ = 1, tonumber(ARGV[a]) do
    it.add[#it.add + 1] = {ARGV[a + 2], ARGV[a + 1]} -- score, member
    a = a + 2
  end
  a = a + 1
  for _ = 1, tonumber(ARGV[a]) do
    it.rem[#it.rem + 1] = ARGV[a + 1]
    a = a + 1
  end
  a = a + 1
  items[i] = it
end

-- Check everything before writing anything.
for _, it in ipairs(items) do
  local cur = redis.call('GET', it.ev)
  if not cur then
    return {'not_found', it.id}
  end
  local ev = cjson.decode(cur)
  if tostring(ev.status) .. ' ' .. tostring(ev.updated_at) ~= it.expect then
    return {'conflict', it.id}
  end
end
if ARGV[2] ~= '' and not redis.call('ZSCORE', KEYS[5], ARGV[2]) then
  return {'gone'}
end

local ttl = tonumber(ARGV[3])
local out = {'ok'}
for _, it in ipairs(items) do
  local seq = redis.call('INCR', KEYS[1])
  redis.call('XADD', KEYS[2], seq .. '-0', 'r', it.record)
  redis.call('RPUSH', it.tl, seq .. ' ' .. it.change)
  redis.call('LTRIM', it.tl, -tonumber(ARGV[4]), -1)
  if it.done then
    redis.call('SET', it.ev, it.state, 'EX', ttl)
    redis.call('ZREM', KEYS[3], it.id)
    redis.call('ZADD', KEYS[4], 'NX', it.doneAt, it.id) -- a rating keeps the closing time
    redis.call('EXPIRE', it.tl, ttl)
  else
    redis.call('SET', it.ev, it.state) -- no TTL: a reopened event loses it
    redis.call('ZADD', KEYS[3], 'NX', seq, it.id)
    redis.call('ZREM', KEYS[4], it.id)
    redis.call('PERSIST', it.tl)
  end
  for _, sm in ipairs(it.add) do
    redis.call('ZADD', KEYS[5], 'NX', sm[1], sm[2]) -- a claimed deadline keeps its lease
  end
  for _, m in ipairs(it.rem) do
    redis.call('ZREM', KEYS[5], m)
  end
  if it.careJSON ~= '' then
    redis.call('SET', it.care, it.careJSON)
    if it.careNext ~= '' then
      redis.call('ZADD', KEYS[6], it.careNext, it.id)
    else
      redis.call('ZREM', KEYS[6], it.id)
      redis.call('EXPIRE', it.care, ttl)
    end
  end
  redis.call('PUBLISH', ARGV[1], seq .. ' ' .. it.record)
  out[#out + 1] = tostring(seq)
end
if ARGV[2] ~= '' then
  redis.call('ZREM', KEYS[5], ARGV[2]) -- last: nothing above may queue it again
end
redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', '(' .. (tonumber(ARGV[5]) - ttl * 1000))
return out
