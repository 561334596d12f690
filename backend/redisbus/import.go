package redisbus

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
)

//go:embed lua/import.lua
var importLua string

var importScript = redis.NewScript(importLua)

// importChunk bounds the records of one script call: the script blocks
// Redis while it runs, so a call stays in the low milliseconds.
const importChunk = 500

// Import appends history records to the log's stream, in order, each with
// the next seq; it returns the first seq assigned. Unlike Append it touches
// nothing else: no live state, no idempotency keys, no day counters, no
// publication. It exists for seeding history and for benchmarks
// (cmd/gridseed); replicas that follow this log replay the records like
// any others, so import into a log the wall follows only before going
// live. Records are stored as Append stores them ("<seq>-0", field r).
func (l *Log) Import(ctx context.Context, recs []event.Record) (uint64, error) {
	if len(recs) == 0 {
		return 0, nil
	}
	pipe := l.rdb.Pipeline()
	cmds := make([]*redis.Cmd, 0, len(recs)/importChunk+1)
	for start := 0; start < len(recs); start += importChunk {
		chunk := recs[start:min(start+importChunk, len(recs))]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, randomEpoch())
		for i := range chunk {
			rec := chunk[i]
			rec.SetSeq(0) // the stored JSON never carries the seq: the entry id does
			raw, err := json.Marshal(rec)
			if err != nil {
				return 0, fmt.Errorf("redisbus: encode record: %w", err)
			}
			args = append(args, raw)
		}
		cmds = append(cmds, importScript.EvalSha(ctx, pipe, []string{l.keys.Seq, l.keys.Log, l.keys.Epoch}, args...))
	}
	_, err := pipe.Exec(ctx)
	if err != nil && isNoScript(err) {
		if lerr := importScript.Load(ctx, l.rdb).Err(); lerr != nil {
			return 0, fmt.Errorf("redisbus: load import script: %w", lerr)
		}
		return l.Import(ctx, recs) // no chunk ran: every EVALSHA failed alike
	}
	if err != nil {
		return 0, fmt.Errorf("redisbus: import: %w", err)
	}
	first, err := cmds[0].Uint64()
	if err != nil {
		return 0, fmt.Errorf("redisbus: import reply: %w", err)
	}
	return first, nil
}

// Reserve takes n seqs without appending records and returns the first, for
// history written straight into the history store (gridseed --via direct):
// the seqs stay unique across the log and the history. Followers see the
// jump, find the records missing and reload their state once.
func (l *Log) Reserve(ctx context.Context, n int) (uint64, error) {
	last, err := l.rdb.IncrBy(ctx, l.keys.Seq, int64(n)).Result()
	if err != nil {
		return 0, fmt.Errorf("redisbus: reserve: %w", err)
	}
	return uint64(last) - uint64(n) + 1, nil
}
