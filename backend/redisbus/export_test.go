package redisbus

import (
	"context"
	"testing"

	"github.com/redis/go-redis/v9"
)

// TrimForTest drops every entry below seq (tests only).
func TrimForTest(t *testing.T, l *Log, below uint64) error {
	t.Helper()
	return l.rdb.XTrimMinID(t.Context(), l.keys.Log, streamID(below)).Err()
}

// AppendSilentlyForTest adds records from..to to the stream and the seq
// counter without publishing them, as if pub/sub had lost them.
func AppendSilentlyForTest(t *testing.T, l *Log, from, to uint64) error {
	t.Helper()
	ctx := t.Context()
	for seq := from; seq <= to; seq++ {
		rec := `{"type":"event","event":{"id":"silent","kind":"hotline","status":"reported"},"change":{"to":"reported"}}`
		if err := l.rdb.XAdd(ctx, &redis.XAddArgs{Stream: l.keys.Log, ID: streamID(seq), Values: []any{"r", rec}}).Err(); err != nil {
			return err
		}
		if err := l.rdb.Set(ctx, l.keys.Seq, seq, 0).Err(); err != nil {
			return err
		}
	}
	return nil
}

// TailCheckForTest runs one tail check of f as its ticker does, loading its
// state first if it has none.
func TailCheckForTest(ctx context.Context, f *Follower) error {
	if f.epoch == "" {
		if err := f.resync(ctx); err != nil {
			return err
		}
	}
	return f.checkTail(ctx, true)
}
