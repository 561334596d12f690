package history

import (
	"context"
	"sync"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// backlogTTL is how old a cached backlog may be before Admit asks Redis
// again. The writer's own loop refreshes it every backlogRefresh, so
// ingest normally never waits for Redis here.
const (
	backlogTTL     = 2 * time.Second
	backlogRefresh = time.Second
)

// gate caches the group's backlog for Admit and the lag metrics.
type gate struct {
	src Source
	cap int64
	m   *metrics

	mu      sync.Mutex // guards the fields below
	val     Backlog
	at      time.Time
	err     error
	refresh sync.Mutex // one refresh at a time; others use the cached value
}

func newGate(src Source, cap int64, m *metrics) *gate { return &gate{src: src, cap: cap, m: m} }

// get returns the cached backlog, refreshing it first when it is stale and
// no other refresh is running.
func (g *gate) get(ctx context.Context) (Backlog, error) {
	g.mu.Lock()
	val, at, err := g.val, g.at, g.err
	g.mu.Unlock()
	if time.Since(at) < backlogTTL {
		return val, err
	}
	if !g.refresh.TryLock() {
		return val, err // someone is refreshing: a second-old figure is good enough
	}
	defer g.refresh.Unlock()
	return g.load(ctx)
}

func (g *gate) load(ctx context.Context) (Backlog, error) {
	b, err := g.src.Backlog(ctx)
	g.mu.Lock()
	defer g.mu.Unlock()
	g.at, g.err = time.Now(), err
	if err == nil {
		g.val = b
		g.m.setLag(b)
	}
	return g.val, err
}

func (g *gate) refreshLoop(ctx context.Context) {
	t := time.NewTicker(backlogRefresh)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if g.refresh.TryLock() {
				_, _ = g.load(ctx) // an error is kept for Backlog's callers
				g.refresh.Unlock()
			}
		}
	}
}

// Backlog returns the number of log records the history has not stored
// yet, from a cache at most a few seconds old: cheap enough for every
// ingest request.
func (w *Writer) Backlog(ctx context.Context) (int64, error) {
	b, err := w.gate.get(ctx)
	return b.Records, err
}

// Admit tells ingest whether it may append: nil, or an *apperr.Error with
// code Unavailable (503) once the backlog has reached BacklogCap. Refusing
// is better than dropping: the sender retries later, and nothing
// acknowledged is ever lost. When the backlog cannot be read (Redis down)
// Admit lets the request through; the append itself will then fail.
func (w *Writer) Admit(ctx context.Context) error {
	b, err := w.gate.get(ctx)
	if err != nil || b.Records < w.opts.BacklogCap {
		return nil
	}
	w.m.refused.Inc()
	return apperr.New(apperr.Unavailable,
		"history backlog full: %d records not yet written to ClickHouse (cap %d, oldest from %s); new events are refused until the history writer catches up — retry later",
		b.Records, w.opts.BacklogCap, b.Oldest.UTC().Format(time.RFC3339))
}

// Lag is how far the history is behind the log.
type Lag struct {
	Records   int64     `json:"lag_records"`
	Seconds   float64   `json:"lag_seconds"` // age of the oldest record not yet stored
	LastWrite time.Time `json:"last_write,omitzero"`
	Error     string    `json:"error,omitempty"`           // the last write error, while writes fail
	Failing   float64   `json:"failing_seconds,omitempty"` // how long writes have failed
}

// Lag returns the history's lag as last measured (at most a few seconds old).
func (w *Writer) Lag() Lag {
	w.gate.mu.Lock()
	b := w.gate.val
	w.gate.mu.Unlock()
	l := Lag{Records: b.Records, Seconds: lagSeconds(b, time.Now())}
	w.mu.Lock()
	defer w.mu.Unlock()
	l.LastWrite = w.lastWrite
	if w.failing != nil {
		l.Error = w.failing.Error()
		l.Failing = time.Since(w.failSince).Seconds()
	}
	return l
}

func lagSeconds(b Backlog, now time.Time) float64 {
	if b.Records == 0 || b.Oldest.IsZero() {
		return 0
	}
	return max(now.Sub(b.Oldest).Seconds(), 0)
}

// Check is the /readyz probe of the history: its details are the lag, and
// it fails (the replica shows "degraded": live traffic is unaffected) when
// the store does not answer or writes are failing.
func (w *Writer) Check(ctx context.Context) (map[string]any, error) {
	l := w.Lag()
	details := map[string]any{"lag_records": l.Records, "lag_seconds": l.Seconds}
	if !l.LastWrite.IsZero() {
		details["last_write"] = l.LastWrite.UTC().Format(time.RFC3339)
	}
	if err := w.store.Ping(ctx); err != nil {
		return details, err
	}
	if l.Error != "" {
		details["failing_seconds"] = l.Failing
		return details, apperr.New(apperr.Unavailable, "history writes failing: %s", l.Error)
	}
	return details, nil
}
