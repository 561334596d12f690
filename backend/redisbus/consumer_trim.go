package redisbus

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/history"
)

// firstUnacked returns, over every consumer group of the log, the lowest
// seq that is pending or not yet delivered; ok is false when the log has
// no group. It reads each group's last-delivered id before its pending
// list: an entry at or below that id is either pending or acknowledged
// already, and acknowledged entries never become pending again, so the
// answer can only be too low, never too high, however the group moves
// meanwhile.
func (c *Consumer) firstUnacked(ctx context.Context) (seq uint64, ok bool, err error) {
	groups, err := c.rdb.XInfoGroups(ctx, c.keys.Log).Result()
	if err != nil {
		if redis.HasErrorPrefix(err, "ERR no such key") {
			return 0, false, nil
		}
		return 0, false, fmt.Errorf("redisbus: groups: %w", err)
	}
	for i, g := range groups {
		first := parseSeq(g.LastDeliveredID) + 1
		p, err := c.rdb.XPending(ctx, c.keys.Log, g.Name).Result()
		if err != nil {
			return 0, false, fmt.Errorf("redisbus: pending of %s: %w", g.Name, err)
		}
		if p.Count > 0 {
			first = min(first, parseSeq(p.Lower))
		}
		if i == 0 || first < seq {
			seq = first
		}
	}
	return seq, len(groups) > 0, nil
}

// Trim removes acknowledged records below the first unacknowledged one of
// every group, keeping at least the newest keep records. Without a group
// nothing is trimmed: no one has acknowledged anything yet.
func (c *Consumer) Trim(ctx context.Context, keep int64) (int64, error) {
	first, ok, err := c.firstUnacked(ctx)
	if err != nil || !ok {
		return 0, err
	}
	head, err := c.head(ctx)
	if err != nil {
		return 0, err
	}
	if keep > 0 {
		if head < uint64(keep) {
			return 0, nil
		}
		first = min(first, head-uint64(keep)+1)
	}
	if first <= 1 {
		return 0, nil
	}
	return c.trimBelow(ctx, first)
}

// trimBelow removes the entries below seq, at most perCommand seqs per
// XTRIM: a catching-up writer trims hundreds of thousands at once, and
// one XTRIM of them held Redis for up to 115 ms on the benchmark machine.
// Each step starts at the oldest entry, so gaps in the seqs (an import's
// reserved seqs) are skipped, not walked.
func (c *Consumer) trimBelow(ctx context.Context, seq uint64) (int64, error) {
	var removed int64
	for {
		oldest, err := c.rdb.XRangeN(ctx, c.keys.Log, "-", "+", 1).Result()
		if err != nil {
			return removed, fmt.Errorf("redisbus: trim: %w", err)
		}
		if len(oldest) == 0 || parseSeq(oldest[0].ID) >= seq {
			return removed, nil
		}
		to := min(parseSeq(oldest[0].ID)+uint64(c.perCommand), seq)
		n, err := c.rdb.XTrimMinID(ctx, c.keys.Log, streamID(to)).Result()
		removed += n
		if err != nil {
			return removed, fmt.Errorf("redisbus: trim: %w", err)
		}
	}
}

// Backlog counts what this consumer's group has not acknowledged (pending
// plus undelivered) and the change time of the oldest such record.
func (c *Consumer) Backlog(ctx context.Context) (history.Backlog, error) {
	groups, err := c.rdb.XInfoGroups(ctx, c.keys.Log).Result()
	if err != nil && !redis.HasErrorPrefix(err, "ERR no such key") {
		return history.Backlog{}, fmt.Errorf("redisbus: backlog: %w", err)
	}
	var b history.Backlog
	var from string
	found := false
	for _, g := range groups {
		if g.Name != c.group {
			continue
		}
		found = true
		undelivered := g.Lag
		if undelivered < 0 { // Redis cannot tell (entries deleted): count by seq
			head, err := c.head(ctx)
			if err != nil {
				return history.Backlog{}, err
			}
			undelivered = int64(head - min(head, parseSeq(g.LastDeliveredID)))
		}
		b.Records = g.Pending + undelivered
		from = "(" + g.LastDeliveredID
		if g.Pending > 0 {
			p, err := c.rdb.XPending(ctx, c.keys.Log, c.group).Result()
			if err != nil {
				return history.Backlog{}, fmt.Errorf("redisbus: backlog: %w", err)
			}
			if p.Count > 0 { // 0 when acknowledged since XINFO
				from = p.Lower
			}
		}
	}
	if !found { // no writer has started yet: everything is backlog
		n, err := c.rdb.XLen(ctx, c.keys.Log).Result()
		if err != nil {
			return history.Backlog{}, fmt.Errorf("redisbus: backlog: %w", err)
		}
		b.Records, from = n, "-"
	}
	if b.Records == 0 {
		return b, nil
	}
	msgs, err := c.rdb.XRangeN(ctx, c.keys.Log, from, "+", 1).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return history.Backlog{}, fmt.Errorf("redisbus: backlog: oldest record from %q: %w", from, err)
	}
	if len(msgs) == 1 && msgs[0].Values != nil {
		if rec, err := decodeEntry(msgs[0]); err == nil {
			b.Oldest = rec.Change.At
		}
	}
	return b, nil
}
