package redisbus

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

//go:embed lua/touch.lua
var touchLua string

// Consumer reads the log through a Redis consumer group. Each replica is
// one consumer (its own name) of the same group, so the group shares the
// records among them and remembers, per consumer, what was delivered but
// not acknowledged (the pending entries list). It implements
// history.Source; the contract is written there.
//
// A Consumer is safe for concurrent use (the writer reads in one goroutine
// while it touches and acknowledges in another), except that Claim, which
// keeps its scan position, must not run concurrently with itself.
type Consumer struct {
	rdb         *redis.Client
	keys        Keys
	group, name string
	touch       *redis.Script
	claimFrom   string      // XAUTOCLAIM cursor, so each call continues the scan
	grouped     atomic.Bool // the group is known to exist
	perCommand  int         // entries per Redis command at most
}

var _ history.Source = (*Consumer)(nil)

// NewConsumer returns consumer name of group on the log under keys. The
// group is created (at the log's start) on first use.
func NewConsumer(rdb *redis.Client, keys Keys, group, name string) *Consumer {
	return &Consumer{rdb: rdb, keys: keys, group: group, name: name, touch: redis.NewScript(touchLua), claimFrom: "0-0",
		perCommand: perCommand}
}

// ensureGroup creates the group at the start of the stream (creating the
// stream too) unless it exists.
func (c *Consumer) ensureGroup(ctx context.Context) error {
	if c.grouped.Load() {
		return nil
	}
	err := c.rdb.XGroupCreateMkStream(ctx, c.keys.Log, c.group, "0").Err()
	if err != nil && !redis.HasErrorPrefix(err, "BUSYGROUP") {
		return fmt.Errorf("redisbus: create group %s: %w", c.group, err)
	}
	c.grouped.Store(true)
	return nil
}

// noGroup notices that the group vanished (Redis lost its data) so the next
// call creates it again.
func (c *Consumer) noGroup(err error) error {
	if err != nil && redis.HasErrorPrefix(err, "NOGROUP") {
		c.grouped.Store(false)
	}
	return err
}

// Read returns up to max undelivered records, waiting up to wait.
func (c *Consumer) Read(ctx context.Context, max int, wait time.Duration) ([]event.Record, error) {
	block := wait
	if wait < time.Millisecond {
		block = -1 // no BLOCK at all: "BLOCK 0" would wait for ever
	}
	return c.readGroup(ctx, ">", max, block)
}

// Pending returns this consumer's own pending records after seq after.
func (c *Consumer) Pending(ctx context.Context, after uint64, max int) ([]event.Record, error) {
	return c.readGroup(ctx, streamID(after), max, -1)
}

// perCommand caps the entries one Redis command reads, acknowledges, trims,
// touches or claims (Consumer.perCommand; tests lower it). Redis runs one
// command at a time, so while the history writer catches up with a backlog
// every live append waits for its current command: an XREADGROUP of 10,000
// records held Redis for 23–149 ms on the benchmark machine (SLOWLOG),
// an XACK of 10,000 for 4–17 ms. In commands of 1,000, appends slip in
// between.
const perCommand = 1000

// readGroup reads up to max entries from from on (">": undelivered ones; an
// id: this consumer's pending ones after it), perCommand at a time. Only
// the first command waits up to block; a short reply ends the read.
//
// The entries are gathered first and decoded once into a slice of the
// right size: appending the decoded records chunk by chunk copied the
// growing batch again and again (a record is about 700 bytes), and those
// copies were 9 % of the history writer's CPU while it drained a backlog.
func (c *Consumer) readGroup(ctx context.Context, from string, max int, block time.Duration) ([]event.Record, error) {
	if err := c.ensureGroup(ctx); err != nil {
		return nil, err
	}
	var msgs []redis.XMessage
	for len(msgs) < max {
		n := min(max-len(msgs), c.perCommand)
		chunk, err := c.readChunk(ctx, from, n, block)
		if err != nil {
			if len(msgs) > 0 {
				// What was read is pending here already: hand it on;
				// the next read meets the error again.
				break
			}
			return nil, err
		}
		msgs = append(msgs, chunk...)
		if len(chunk) < n {
			break
		}
		block = -1
		if from != ">" {
			from = chunk[len(chunk)-1].ID
		}
	}
	if len(msgs) == 0 {
		return nil, nil
	}
	return c.decode(ctx, msgs)
}

func (c *Consumer) readChunk(ctx context.Context, from string, n int, block time.Duration) ([]redis.XMessage, error) {
	res, err := c.rdb.XReadGroup(ctx, &redis.XReadGroupArgs{Group: c.group, Consumer: c.name,
		Streams: []string{c.keys.Log, from}, Count: int64(n), Block: block}).Result()
	if errors.Is(err, redis.Nil) {
		return nil, nil // the wait ended with nothing new
	}
	if err != nil {
		return nil, fmt.Errorf("redisbus: read group: %w", c.noGroup(err))
	}
	if len(res) == 0 {
		return nil, nil
	}
	return res[0].Messages, nil
}

// decode turns stream entries into records. An entry pending in the group
// but gone from the stream (deleted by hand: the writer never trims past
// the oldest unacknowledged entry), or one that does not decode, cannot be
// written anywhere; it is acknowledged and logged so it does not block the
// group for ever.
func (c *Consumer) decode(ctx context.Context, msgs []redis.XMessage) ([]event.Record, error) {
	recs, errs := decodeParallel(msgs)
	out := recs[:0]
	var gone []string
	for i, m := range msgs {
		switch {
		case m.Values == nil:
			gone = append(gone, m.ID)
		case errs[i] != nil:
			// A record no one can read would block the group for ever;
			// it cannot be stored anyway.
			slog.Error("redisbus: undecodable log entry skipped by the history", "id", m.ID, "err", errs[i])
			gone = append(gone, m.ID)
		default:
			out = append(out, recs[i])
		}
	}
	if len(gone) > 0 {
		slog.Error("redisbus: log entries the history cannot store were acknowledged and skipped",
			"entries", len(gone), "first", gone[0])
		if err := c.rdb.XAck(ctx, c.keys.Log, c.group, gone...).Err(); err != nil {
			return nil, fmt.Errorf("redisbus: ack skipped entries: %w", err)
		}
	}
	return out, nil
}

// decodeParallel decodes entries on every core. JSON decoding is most of
// the cost of reading a batch (about three times the XREADGROUP itself),
// and the history writer reads while it writes, so it pays to spread it.
func decodeParallel(msgs []redis.XMessage) ([]event.Record, []error) {
	recs := make([]event.Record, len(msgs))
	errs := make([]error, len(msgs))
	workers := min(runtime.GOMAXPROCS(0), len(msgs)/256+1)
	per := (len(msgs) + workers - 1) / workers
	var wg sync.WaitGroup
	for lo := 0; lo < len(msgs); lo += per {
		hi := min(lo+per, len(msgs))
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				if msgs[i].Values != nil {
					recs[i], errs[i] = decodeEntry(msgs[i])
				}
			}
		})
	}
	wg.Wait()
	return recs, errs
}

// Claim takes over records pending at any consumer for at least minIdle.
// It continues its scan of the pending list where the last call stopped,
// and scans at most one round per call.
func (c *Consumer) Claim(ctx context.Context, minIdle time.Duration, max int) ([]event.Record, error) {
	if err := c.ensureGroup(ctx); err != nil {
		return nil, err
	}
	start := c.claimFrom
	for {
		msgs, next, err := c.rdb.XAutoClaim(ctx, &redis.XAutoClaimArgs{Stream: c.keys.Log, Group: c.group,
			Consumer: c.name, MinIdle: minIdle, Start: c.claimFrom, Count: int64(min(max, c.perCommand))}).Result()
		if err != nil {
			return nil, fmt.Errorf("redisbus: claim: %w", c.noGroup(err))
		}
		c.claimFrom = next
		if len(msgs) > 0 {
			return c.decode(ctx, msgs)
		}
		if next == "0-0" || next == start {
			return nil, nil // the whole list was scanned
		}
	}
}

// Touch resets the idle time of those seqs still pending here and returns
// them, sorted. Each script call covers at most perCommand of the seqs.
func (c *Consumer) Touch(ctx context.Context, seqs []uint64) ([]uint64, error) {
	sorted := slices.Sorted(slices.Values(seqs))
	want := make(map[uint64]bool, len(seqs))
	for _, s := range seqs {
		want[s] = true
	}
	out := make([]uint64, 0, len(seqs))
	for lo := 0; lo < len(sorted); lo += c.perCommand {
		part := sorted[lo:min(lo+c.perCommand, len(sorted))]
		first, last := part[0], part[len(part)-1]
		ids, err := c.touch.Run(ctx, c.rdb, []string{c.keys.Log}, c.group, c.name,
			streamID(first), streamID(last), last-first+1).StringSlice()
		if err != nil {
			return nil, fmt.Errorf("redisbus: touch: %w", c.noGroup(err))
		}
		for _, id := range ids {
			if seq, err := seqOfID(id); err == nil && want[seq] {
				out = append(out, seq)
			}
		}
	}
	return out, nil
}

// Ack acknowledges seqs, perCommand per XACK, all in one round trip.
func (c *Consumer) Ack(ctx context.Context, seqs []uint64) error {
	if len(seqs) == 0 {
		return nil
	}
	ids := make([]string, len(seqs))
	for i, s := range seqs {
		ids[i] = streamID(s)
	}
	_, err := c.rdb.Pipelined(ctx, func(p redis.Pipeliner) error {
		for lo := 0; lo < len(ids); lo += c.perCommand {
			p.XAck(ctx, c.keys.Log, c.group, ids[lo:min(lo+c.perCommand, len(ids))]...)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("redisbus: ack: %w", c.noGroup(err))
	}
	return nil
}

// parseSeq parses a stream id "<seq>-0"; "0-0" is 0.
func parseSeq(id string) uint64 {
	seq, err := seqOfID(id)
	if err != nil {
		return 0
	}
	return seq
}

// head returns the log's last assigned seq.
func (c *Consumer) head(ctx context.Context) (uint64, error) {
	s, err := c.rdb.Get(ctx, c.keys.Seq).Result()
	if errors.Is(err, redis.Nil) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("redisbus: head: %w", err)
	}
	return strconv.ParseUint(s, 10, 64)
}
