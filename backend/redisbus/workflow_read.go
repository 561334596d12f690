package redisbus

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

// mgetChunk bounds the keys of one MGET.
const mgetChunk = 1000

// Timeline reads an event's changes after its report (see workflow.Reader).
func (c *CaseStore) Timeline(ctx context.Context, id string) ([]event.Change, error) {
	raw, err := c.rdb.LRange(ctx, c.keys.Timeline(id), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisbus: timeline %s: %w", id, err)
	}
	out := make([]event.Change, 0, len(raw))
	for _, s := range raw {
		seqStr, js, _ := strings.Cut(s, " ")
		var ch event.Change
		if err := json.Unmarshal([]byte(js), &ch); err != nil {
			return nil, fmt.Errorf("redisbus: timeline %s: %w", id, err)
		}
		if ch.Seq, err = strconv.ParseUint(seqStr, 10, 64); err != nil {
			return nil, fmt.Errorf("redisbus: timeline %s seq %q: %w", id, seqStr, err)
		}
		out = append(out, ch)
	}
	return out, nil
}

// Events reads the open events and the recently done ones (see
// workflow.Reader). A done event whose state expired is left out.
func (c *CaseStore) Events(ctx context.Context) ([]workflow.Listed, error) {
	open, err := c.rdb.ZRange(ctx, c.keys.Open, 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisbus: open events: %w", err)
	}
	closed, err := c.rdb.ZRangeWithScores(ctx, c.keys.Closed(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisbus: closed events: %w", err)
	}
	ids := open
	doneAt := make(map[string]time.Time, len(closed))
	for _, z := range closed {
		id, _ := z.Member.(string)
		ids = append(ids, id)
		doneAt[id] = time.UnixMilli(int64(z.Score)).UTC()
	}
	out := make([]workflow.Listed, 0, len(ids))
	err = c.mget(ctx, ids, c.keys.Event, func(raw string) error {
		var l workflow.Listed
		if err := json.Unmarshal([]byte(raw), &l.Event); err != nil {
			return err
		}
		if !l.Event.Open() {
			l.ClosedAt = doneAt[l.Event.ID]
		}
		out = append(out, l)
		return nil
	})
	return out, err
}

// Cares reads the long-term care with follow-ups pending (see
// workflow.Reader).
func (c *CaseStore) Cares(ctx context.Context) ([]workflow.Care, error) {
	ids, err := c.rdb.ZRange(ctx, c.keys.CareOpen(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("redisbus: cares: %w", err)
	}
	var out []workflow.Care
	err = c.mget(ctx, ids, c.keys.Care, func(raw string) error {
		var care workflow.Care
		if err := json.Unmarshal([]byte(raw), &care); err != nil {
			return err
		}
		out = append(out, care)
		return nil
	})
	return out, err
}

// Care reads an event's long-term care, nil when it has none.
func (c *CaseStore) Care(ctx context.Context, id string) (*workflow.Care, error) {
	raw, err := c.rdb.Get(ctx, c.keys.Care(id)).Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("redisbus: care %s: %w", id, err)
	}
	var care workflow.Care
	if err := json.Unmarshal(raw, &care); err != nil {
		return nil, fmt.Errorf("redisbus: decode care %s: %w", id, err)
	}
	return &care, nil
}

// Disputes reads the disputes reported in a grid since a time.
func (c *CaseStore) Disputes(ctx context.Context, gridID string, since time.Time) ([]string, error) {
	ids, err := c.rdb.ZRangeArgs(ctx, redis.ZRangeArgs{Key: c.keys.Disputes(gridID), ByScore: true,
		Start: strconv.FormatInt(since.UnixMilli(), 10), Stop: "+inf"}).Result()
	if err != nil {
		return nil, fmt.Errorf("redisbus: disputes of %s: %w", gridID, err)
	}
	return ids, nil
}

// mget reads the values of key(id) for ids in chunks, calling each for every
// value present (missing keys are skipped).
func (c *CaseStore) mget(ctx context.Context, ids []string, key func(string) string, each func(string) error) error {
	for start := 0; start < len(ids); start += mgetChunk {
		chunk := ids[start:min(start+mgetChunk, len(ids))]
		keys := make([]string, len(chunk))
		for i, id := range chunk {
			keys[i] = key(id)
		}
		vals, err := c.rdb.MGet(ctx, keys...).Result()
		if err != nil {
			return fmt.Errorf("redisbus: read %d keys: %w", len(keys), err)
		}
		for _, v := range vals {
			s, ok := v.(string)
			if !ok {
				continue
			}
			if err := each(s); err != nil {
				return fmt.Errorf("redisbus: decode: %w", err)
			}
		}
	}
	return nil
}
