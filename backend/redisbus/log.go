package redisbus

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
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
	group    *appendGroup
	// disputeRetention is the case store's (NewCaseStore sets it): the
	// append notes disputes in the same per-grid sets.
	disputeRetention time.Duration

	// Unregistered until Register: tests and tools need no registry.
	appendSeconds, roundReports prometheus.Histogram
}

// NewLog returns the log under keys; idemTTL is how long a kind+source_id
// is remembered for idempotent re-sends.
func NewLog(rdb *redis.Client, keys Keys, idemTTL time.Duration) *Log {
	l := &Log{rdb: rdb, keys: keys, idemTTL: idemTTL, disputeRetention: CaseOptions{}.withDefaults().DisputeRetention,
		appendS: redis.NewScript(appendLua), snapshot: redis.NewScript(snapshotLua)}
	l.group = &appendGroup{run: l.appendRound, rounds: appendRounds(rdb.Options())}
	l.appendSeconds = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gridcc_log_append_seconds",
		Help:    "Time an Append waits for Redis to confirm its reports (the durable part of every ingest's acknowledgement), including the wait for a shared round trip.",
		Buckets: []float64{.0005, .001, .002, .004, .008, .016, .032, .064, .128, .256, .512, 1.024, 2.048}})
	l.roundReports = prometheus.NewHistogram(prometheus.HistogramOpts{Name: "gridcc_log_append_round_reports",
		Help:    "Reports per append round trip to Redis (concurrent Appends share round trips).",
		Buckets: []float64{1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1000}})
	return l
}

// Register registers the log's metrics with reg.
func (l *Log) Register(reg prometheus.Registerer) {
	reg.MustRegister(l.appendSeconds, l.roundReports)
}

// Keys returns the log's key names.
func (l *Log) Keys() Keys { return l.keys }

var _ event.Log = (*Log)(nil)

// Append reports new events: each is appended to the stream, its state and
// the counters are updated, its first SLA deadlines queued (Report.Intake)
// and it is published, all in one script, so a seq is never visible without
// its state and vice versa, and no event is open without its clocks. Items
// are pipelined, together with those of concurrent calls (see appendGroup);
// each item is atomic on its own. An error means Redis did not confirm the
// writes: the caller must not acknowledge any of them.
func (l *Log) Append(ctx context.Context, items []event.Report) ([]event.AppendResult, error) {
	if len(items) == 0 {
		return nil, nil
	}
	// Encoded before joining the group: a report that cannot be encoded
	// fails its call before any of the call's reports is written.
	newEpoch := randomEpoch()
	now := time.Now()
	cmds := make([]appendCmd, len(items))
	for i, it := range items {
		enc, err := encodeRecord(&it.Record)
		if err != nil {
			return nil, err
		}
		e := &it.Record.Event
		args := make([]any, 0, 13+2*len(it.Intake.Deadlines))
		args = append(args, e.ID, it.Fingerprint, enc.record, enc.state, int(l.idemTTL.Seconds()), string(e.Kind),
			l.keys.Channel, newEpoch, int(dayCountTTL.Seconds()))
		args = appendIntakeArgs(args, e, it.Intake, l.disputeRetention, now)
		cmds[i] = appendCmd{
			keys: []string{l.keys.Seq, l.keys.Log, l.keys.Idempotency(string(e.Kind), e.SourceID),
				l.keys.Event(e.ID), l.keys.Open, l.keys.Day(it.Day), l.keys.Epoch,
				l.keys.SLADue(), l.keys.Disputes(e.GridID)},
			args: args,
		}
	}
	start := time.Now()
	res, errs := l.group.do(ctx, cmds)
	l.appendSeconds.Observe(time.Since(start).Seconds())
	for _, err := range errs {
		if err != nil {
			return nil, fmt.Errorf("redisbus: append: %w", err)
		}
	}
	return res, nil
}

// appendRound is one round trip of the group. After a Redis restart its
// script cache is empty and every EVALSHA is refused before it runs: the
// script is loaded and exactly the refused commands are sent again.
func (l *Log) appendRound(ctx context.Context, cmds []appendCmd) ([]event.AppendResult, []error) {
	l.roundReports.Observe(float64(len(cmds)))
	res, errs := l.appendPipelined(ctx, cmds)
	var refused []int
	for i, err := range errs {
		if err != nil && isNoScript(err) {
			refused = append(refused, i)
		}
	}
	if len(refused) == 0 {
		return res, errs
	}
	if err := l.appendS.Load(ctx, l.rdb).Err(); err != nil {
		for _, i := range refused {
			errs[i] = fmt.Errorf("load append script: %w", err)
		}
		return res, errs
	}
	again := make([]appendCmd, len(refused))
	for j, i := range refused {
		again[j] = cmds[i]
	}
	res2, errs2 := l.appendPipelined(ctx, again)
	for j, i := range refused {
		res[i], errs[i] = res2[j], errs2[j]
	}
	return res, errs
}

// appendPipelined sends cmds in one pipeline and returns each command's
// result or error.
func (l *Log) appendPipelined(ctx context.Context, cmds []appendCmd) ([]event.AppendResult, []error) {
	pipe := l.rdb.Pipeline()
	sent := make([]*redis.Cmd, len(cmds))
	for i, c := range cmds {
		sent[i] = l.appendS.EvalSha(ctx, pipe, c.keys, c.args...)
	}
	// Exec's error is the first failed command's; each keeps its own, and
	// with a dead connection every one failed.
	_, _ = pipe.Exec(ctx)
	res := make([]event.AppendResult, len(cmds))
	errs := make([]error, len(cmds))
	for i, c := range sent {
		if errs[i] = c.Err(); errs[i] == nil {
			res[i], errs[i] = parseAppendReply(c)
		}
	}
	return res, errs
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
