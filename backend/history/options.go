package history

import (
	"fmt"
	"time"
)

// Options are the writer's bounds. NewWriter fills a zero field with its
// default; docs/history.md lists the environment variables behind them.
type Options struct {
	// BatchSize is the most records one insert carries. ClickHouse prefers
	// few large inserts: each insert writes a new part, tens of files, into
	// every table and month it touches, and the part files, not the rows,
	// were most of ClickHouse's work in the benchmarks (docs/history.md).
	// Memory is bounded by two batches per lane, about 3 KB a record: some
	// 300 MB at the default while a backlog drains, little when live.
	BatchSize int
	// FlushInterval is the longest a record waits for its batch to fill.
	FlushInterval time.Duration
	// ClaimIdle is how long a record must have been pending at another
	// consumer before this writer takes it over (that writer crashed). It
	// must exceed 4 × (WriteTimeout + RetryMax), so that a live writer
	// always touches its records long before anyone may claim them.
	ClaimIdle time.Duration
	// KeepRecent is how many of the newest records stay in the log after
	// trimming, for WebSocket replays after a reconnect.
	KeepRecent int64
	// BacklogCap is the number of unacknowledged records at which Admit
	// refuses new events, so Redis cannot fill up while ClickHouse is down.
	BacklogCap int64
	// RetryMax is the longest pause between two attempts to write a batch.
	RetryMax time.Duration
	// WriteTimeout bounds one attempt to write a batch.
	WriteTimeout time.Duration
	// TrimEvery is how often the log is trimmed.
	TrimEvery time.Duration
}

// DefaultOptions are the defaults NewWriter applies.
var DefaultOptions = Options{
	BatchSize:     50000,
	FlushInterval: time.Second,
	ClaimIdle:     3 * time.Minute,
	KeepRecent:    100000,
	BacklogCap:    1000000,
	RetryMax:      10 * time.Second,
	WriteTimeout:  20 * time.Second,
	TrimEvery:     5 * time.Second,
}

func (o Options) withDefaults() (Options, error) {
	d := DefaultOptions
	set := func(v *int64, def int64) {
		if *v == 0 {
			*v = def
		}
	}
	setD := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	if o.BatchSize == 0 {
		o.BatchSize = d.BatchSize
	}
	setD(&o.FlushInterval, d.FlushInterval)
	setD(&o.ClaimIdle, d.ClaimIdle)
	set(&o.KeepRecent, d.KeepRecent)
	set(&o.BacklogCap, d.BacklogCap)
	setD(&o.RetryMax, d.RetryMax)
	setD(&o.WriteTimeout, d.WriteTimeout)
	setD(&o.TrimEvery, d.TrimEvery)
	switch {
	case o.BatchSize < 1 || o.KeepRecent < 0 || o.BacklogCap < 1:
		return o, fmt.Errorf("history: batch size, keep-recent and backlog cap must be positive")
	case o.FlushInterval < time.Millisecond:
		return o, fmt.Errorf("history: flush interval %v is below 1ms", o.FlushInterval)
	case o.ClaimIdle < 4*(o.WriteTimeout+o.RetryMax):
		return o, fmt.Errorf("history: claim idle %v must be at least 4 × (write timeout %v + retry max %v)",
			o.ClaimIdle, o.WriteTimeout, o.RetryMax)
	}
	return o, nil
}
