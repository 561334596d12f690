package redisbus

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
)

var (
	//go:embed lua/append.lua
	appendLua string
	//go:embed lua/snapshot.lua
	snapshotLua string
)

// ErrTrimmed is returned by Range when records after since are gone.
var ErrTrimmed = errors.New("redisbus: log trimmed below the requested sequence")

// dayCountTTL keeps per-day counters a week: the wall needs today's, the
// history in ClickHouse keeps the rest.
const dayCountTTL = 8 * 24 * time.Hour

// Log is the durable event log in a Redis Stream, with the operational state
// beside it. Durability is Redis's: with AOF and appendfsync always (what
// scripts/services.sh and docker-compose.yml configure) an appended record
// survives a Redis restart once Append has returned.
type Log struct {
	rdb      *redis.Client
	keys     Keys
	idemTTL  time.Duration
	appendS  *redis.Script
	snapshot *redis.Script
}

// NewLog returns the log under keys; idemTTL is how long a kind+source_id
// is remembered for idempotent re-sends.
func NewLog(rdb *redis.Client, keys Keys, idemTTL time.Duration) *Log {
	return &Log{rdb: rdb, keys: keys, idemTTL: idemTTL,
		appendS: redis.NewScript(appendLua), snapshot: redis.NewScript(snapshotLua)}
}

// Keys returns the log's key names.
func (l *Log) Keys() Keys { return l.keys }

var _ event.Log = (*Log)(nil)

// Append reports new events: each is appended to the stream, its state and
// the counters are updated and it is published, all in one script, so a seq
// is never visible without its state and vice versa. Items are pipelined in
// one round trip; each item is atomic on its own. An error means Redis did
// not confirm the writes: the caller must not acknowledge any of them.
func (l *Log) Append(ctx context.Context, items []event.Report) ([]event.AppendResult, error) {
	if len(items) == 0 {
		return nil, nil
	}
	res, err := l.appendPipelined(ctx, items)
	if err != nil && isNoScript(err) {
		// After a Redis restart its script cache is empty: load once, retry.
		// No item ran (every EVALSHA failed alike), so the retry is safe.
		if lerr := l.appendS.Load(ctx, l.rdb).Err(); lerr != nil {
			return nil, fmt.Errorf("redisbus: load append script: %w", lerr)
		}
		res, err = l.appendPipelined(ctx, items)
	}
	if err != nil {
		return nil, fmt.Errorf("redisbus: append: %w", err)
	}
	return res, nil
}

func (l *Log) appendPipelined(ctx context.Context, items []event.Report) ([]event.AppendResult, error) {
	newEpoch := randomEpoch()
	pipe := l.rdb.Pipeline()
	cmds := make([]*redis.Cmd, len(items))
	for i, it := range items {
		enc, err := encodeRecord(&it.Record)
		if err != nil {
			return nil, err
		}
		e := it.Record.Event
		keys := []string{l.keys.Seq, l.keys.Log, l.keys.Idempotency(string(e.Kind), e.SourceID),
			l.keys.Event(e.ID), l.keys.Open, l.keys.Day(it.Day), l.keys.Epoch}
		args := []any{e.ID, it.Fingerprint, enc.record, enc.state, int(l.idemTTL.Seconds()), string(e.Kind),
			l.keys.Channel, newEpoch, int(dayCountTTL.Seconds())}
		cmds[i] = l.appendS.EvalSha(ctx, pipe, keys, args...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		// Exec reports the first failed command; with a dead connection
		// every command failed. Either way nothing may be acknowledged.
		return nil, err
	}
	out := make([]event.AppendResult, len(items))
	for i, c := range cmds {
		r, err := parseAppendReply(c)
		if err != nil {
			return nil, err
		}
		out[i] = r
	}
	return out, nil
}

func parseAppendReply(c *redis.Cmd) (event.AppendResult, error) {
	vals, err := c.StringSlice()
	if err != nil || len(vals) != 3 {
		return event.AppendResult{}, fmt.Errorf("redisbus: append reply %v: %w", c.Val(), err)
	}
	seq, err := strconv.ParseUint(vals[2], 10, 64)
	if err != nil {
		return event.AppendResult{}, fmt.Errorf("redisbus: append reply seq %q: %w", vals[2], err)
	}
	return event.AppendResult{Outcome: event.Outcome(vals[0]), ID: vals[1], Seq: seq}, nil
}

func isNoScript(err error) bool { return redis.HasErrorPrefix(err, "NOSCRIPT") }
