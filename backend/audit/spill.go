package audit

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
)

// drainLease is how long the drain lock lasts without renewal. One drain
// step (read a chunk, insert it, trim it) is bounded by 2 × InsertTimeout,
// kept below the lease, so a live holder never loses the lock mid-step.
const drainLease = 60 * time.Second

// spillList parks records in Redis while ClickHouse is down:
//
//	<prefix>audit:spill       list of JSON records, oldest first (RPUSH)
//	<prefix>audit:spill:lock  the drain lock: one replica drains at a time
//
// Any replica may push; only the lock holder reads and trims the head, and
// it trims only while it still holds the lock, so a slow holder whose lease
// lapsed may insert a chunk twice (readers de-duplicate by ID) but can never
// trim records nobody inserted.
type spillList struct {
	rdb  redis.Cmdable
	key  string
	lock string
	max  int64
}

func newSpillList(rdb redis.Cmdable, prefix string, max int64) *spillList {
	return &spillList{rdb: rdb, key: prefix + "audit:spill", lock: prefix + "audit:spill:lock", max: max}
}

// pushLua appends ARGV[2..] to KEYS[1] while it holds fewer than ARGV[1]
// entries and returns how many it appended.
var pushLua = redis.NewScript(`
local room = tonumber(ARGV[1]) - redis.call('LLEN', KEYS[1])
local n = 0
for i = 2, #ARGV do
  if n >= room then break end
  redis.call('RPUSH', KEYS[1], ARGV[i])
  n = n + 1
end
return n`)

// trimLua drops the first ARGV[2] entries of KEYS[1] and renews the lease
// of KEYS[2] (the lock) to ARGV[3] ms, if the lock still holds ARGV[1] (our
// token); it returns 1 when it trimmed.
var trimLua = redis.NewScript(`
if redis.call('GET', KEYS[2]) ~= ARGV[1] then return 0 end
redis.call('LTRIM', KEYS[1], ARGV[2], -1)
redis.call('PEXPIRE', KEYS[2], ARGV[3])
return 1`)

var unlockLua = redis.NewScript(`if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`)

// push parks batch and returns how many records fit under the bound.
func (s *spillList) push(ctx context.Context, batch []Record) (int, error) {
	args := make([]any, 0, len(batch)+1)
	args = append(args, s.max)
	for _, r := range batch {
		b, err := json.Marshal(r)
		if err != nil {
			return 0, fmt.Errorf("audit: encode record: %w", err)
		}
		args = append(args, b)
	}
	n, err := pushLua.Run(ctx, s.rdb, []string{s.key}, args...).Int()
	if err != nil {
		return 0, fmt.Errorf("audit: park records in Redis: %w", err)
	}
	return n, nil
}

func (s *spillList) len(ctx context.Context) (int64, error) { return s.rdb.LLen(ctx, s.key).Result() }

// drain inserts parked records chunk by chunk with insert and trims each
// chunk once inserted, until the list is empty, insert fails, or ctx ends.
// It returns how many records it moved. Another replica draining makes it
// return at once.
func (s *spillList) drain(ctx context.Context, chunk int, step time.Duration,
	insert func(context.Context, []Record) error) (moved int, err error) {
	if n, err := s.len(ctx); err != nil || n == 0 {
		return 0, err
	}
	token := make([]byte, 16)
	_, _ = rand.Read(token)
	tok := hex.EncodeToString(token)
	ok, err := s.rdb.SetNX(ctx, s.lock, tok, drainLease).Result()
	if err != nil || !ok {
		return 0, err
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), step)
		defer cancel()
		_ = unlockLua.Run(uctx, s.rdb, []string{s.lock}, tok).Err() // else the lease lapses
	}()
	for ctx.Err() == nil {
		sctx, cancel := context.WithTimeout(ctx, step)
		raw, err := s.rdb.LRange(sctx, s.key, 0, int64(chunk)-1).Result()
		cancel()
		if err != nil || len(raw) == 0 {
			return moved, err
		}
		recs := make([]Record, 0, len(raw))
		for _, r := range raw {
			var rec Record
			if err := json.Unmarshal([]byte(r), &rec); err != nil {
				slog.Error("audit: unreadable parked record skipped", "err", err, "bytes", len(r))
				continue
			}
			recs = append(recs, rec)
		}
		if len(recs) > 0 {
			if err := insert(ctx, recs); err != nil {
				return moved, err
			}
		}
		sctx, cancel = context.WithTimeout(ctx, step)
		trimmed, err := trimLua.Run(sctx, s.rdb, []string{s.key, s.lock}, tok, len(raw), drainLease.Milliseconds()).Int()
		cancel()
		if err != nil {
			return moved, err
		}
		if trimmed == 0 {
			return moved, fmt.Errorf("audit: drain lock lost; another replica continues")
		}
		moved += len(recs)
	}
	return moved, ctx.Err()
}
