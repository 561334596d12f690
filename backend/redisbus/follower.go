package redisbus

import (
	"context"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
)

// Sink receives the log in order. Reset replaces all state (at start and
// whenever the epoch changes); Apply is called with strictly contiguous
// sequences after the state's Seq.
type Sink interface {
	Reset(State)
	Apply(event.Record)
}

// tailCheck is how often the follower compares its position with the log's
// head. Pub/sub is at-most-once: go-redis resubscribes silently after a
// dropped connection, and whatever was published meanwhile is gone. The tail
// check bounds how long such a gap can stay unnoticed: two checks.
const tailCheck = 250 * time.Millisecond

// Follower feeds a Sink from the log: live records from pub/sub for latency,
// back-filled from the stream whenever a seq is skipped, so the Sink sees
// every record exactly once and in order.
type Follower struct {
	log   *Log
	sink  Sink
	today func() string // the district-local date, for the day counters

	epoch string
	last  uint64
	seen  uint64 // the log's head at the previous tail check

	gaps, backfilled, resyncs prometheus.Counter
	head                      prometheus.Gauge
}

// NewFollower returns a follower of log feeding sink.
func NewFollower(log *Log, sink Sink, today func() string, reg prometheus.Registerer) *Follower {
	f := &Follower{log: log, sink: sink, today: today,
		gaps:       prometheus.NewCounter(prometheus.CounterOpts{Name: "gridcc_follower_gaps_total", Help: "Pub/sub gaps detected and back-filled from the stream."}),
		backfilled: prometheus.NewCounter(prometheus.CounterOpts{Name: "gridcc_follower_backfilled_records_total", Help: "Records read from the stream to fill pub/sub gaps."}),
		resyncs:    prometheus.NewCounter(prometheus.CounterOpts{Name: "gridcc_follower_resyncs_total", Help: "Full state reloads (start, reconnect, epoch change)."}),
		head:       prometheus.NewGauge(prometheus.GaugeOpts{Name: "gridcc_follower_seq", Help: "Last sequence applied by this replica."}),
	}
	reg.MustRegister(f.gaps, f.backfilled, f.resyncs, f.head)
	return f
}

// Run follows the log until ctx ends, reconnecting with jittered back-off
// after Redis errors.
func (f *Follower) Run(ctx context.Context) error {
	backoff := 100 * time.Millisecond
	for {
		err := f.followOnce(ctx)
		if ctx.Err() != nil {
			return nil
		}
		slog.Warn("follower: lost Redis, retrying", "err", err, "in", backoff)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(backoff + rand.N(backoff/2)):
		}
		backoff = min(backoff*2, 5*time.Second)
	}
}

// followOnce subscribes first and catches up second, so nothing published
// between the two is missed (anything at or below the position reached is
// skipped as already applied).
func (f *Follower) followOnce(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("follower panic: %v\n%s", r, debug.Stack())
		}
	}()
	ps := f.log.rdb.Subscribe(ctx, f.log.keys.Channel)
	defer ps.Close()
	if _, err := ps.Receive(ctx); err != nil {
		return fmt.Errorf("subscribe: %w", err)
	}
	if err := f.catchUp(ctx); err != nil {
		return err
	}
	msgs := ps.Channel(redis.WithChannelSize(4096))
	tick := time.NewTicker(tailCheck)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case m, ok := <-msgs:
			if !ok {
				return fmt.Errorf("pub/sub channel closed")
			}
			if err := f.onMessage(ctx, m.Payload); err != nil {
				return err
			}
		case <-tick.C:
			if err := f.checkTail(ctx, true); err != nil {
				return err
			}
		}
	}
}

// catchUp brings the Sink up to the log's head after (re)connecting. On a
// reconnect to the same log (a Redis restart with its AOF, a network blip)
// the missed records are back-filled and the Sink keeps its state, so its
// clients resume without noticing; only the first start, a changed epoch or
// a log that went backwards reload the whole state (checkTail decides).
func (f *Follower) catchUp(ctx context.Context) error {
	if f.epoch == "" {
		return f.resync(ctx)
	}
	return f.checkTail(ctx, false)
}

func (f *Follower) resync(ctx context.Context) error {
	st, err := f.log.State(ctx, f.today())
	if err != nil {
		return err
	}
	f.epoch, f.last = st.Epoch, st.Seq
	f.sink.Reset(st)
	f.resyncs.Inc()
	f.head.Set(float64(f.last))
	slog.Info("follower: state loaded", "epoch", st.Epoch, "seq", st.Seq, "open", len(st.Open))
	return nil
}

func (f *Follower) onMessage(ctx context.Context, payload string) error {
	seqStr, raw, ok := strings.Cut(payload, " ")
	seq, err := strconv.ParseUint(seqStr, 10, 64)
	if !ok || err != nil {
		slog.Error("follower: malformed pub/sub message ignored", "prefix", seqStr)
		return nil
	}
	if seq <= f.last {
		return nil // already applied from the state or a back-fill
	}
	if seq > f.last+1 {
		f.gaps.Inc()
		if err := f.backfill(ctx, seq-1); err != nil {
			return err
		}
	}
	rec, err := decodeRecord(seq, []byte(raw))
	if err != nil {
		return err
	}
	f.apply(rec)
	return nil
}

// checkTail catches what pub/sub lost and notices a log that went backwards
// or changed epoch (Redis lost data): then the state is reloaded and the
// Sink reset, which tells every client explicitly. With settle, records
// published since the previous check are left to pub/sub: under load they
// are usually still in the subscription's buffer, and back-filling them
// would read from Redis what is about to arrive anyway (and count gaps that
// are not). What was at the head a check ago and is still missing is a gap.
func (f *Follower) checkTail(ctx context.Context, settle bool) error {
	h, err := f.log.Head(ctx)
	if err != nil {
		return err
	}
	seen := f.seen
	f.seen = h.Seq
	switch {
	case h.Epoch != f.epoch:
		slog.Warn("follower: log epoch changed, resetting", "was", f.epoch, "now", h.Epoch)
		return f.resync(ctx)
	case h.Seq < f.last:
		slog.Error("follower: log went backwards: Redis lost acknowledged records; starting a new epoch",
			"applied", f.last, "log_head", h.Seq)
		if _, err := f.log.NewEpoch(ctx, f.epoch); err != nil {
			return err
		}
		return f.resync(ctx)
	case h.Seq > f.last:
		until := h.Seq
		if settle {
			until = min(seen, h.Seq)
		}
		if until <= f.last {
			return nil
		}
		f.gaps.Inc()
		return f.backfill(ctx, until)
	}
	return nil
}

func (f *Follower) backfill(ctx context.Context, until uint64) error {
	recs, err := f.log.Range(ctx, f.last, until)
	if err != nil {
		// Trimmed past our position: only a full reload is honest.
		slog.Warn("follower: cannot back-fill, reloading state", "from", f.last, "to", until, "err", err)
		return f.resync(ctx)
	}
	f.backfilled.Add(float64(len(recs)))
	for _, r := range recs {
		f.apply(r)
	}
	return nil
}

func (f *Follower) apply(r event.Record) {
	f.sink.Apply(r)
	f.last = r.Seq
	f.head.Set(float64(r.Seq))
}
