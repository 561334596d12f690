package audit

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// Options bounds a Writer. Every zero field takes the default named beside it.
type Options struct {
	BufferRecords int           // records held in memory before new ones are dropped (GRIDCC_AUDIT_BUFFER); default 10000
	BatchSize     int           // rows per ClickHouse insert and per drained chunk; default 1000
	FlushInterval time.Duration // how often the buffer is written (GRIDCC_AUDIT_FLUSH); default 1s
	SpillMax      int64         // records parked in Redis before new ones are dropped (GRIDCC_AUDIT_SPILL_MAX); default 1000000
	InsertTimeout time.Duration // bound of one insert or Redis step; default 10s, kept below the drain lock's lease
}

// The defaults of Options.
const (
	DefaultBufferRecords = 10000
	DefaultBatchSize     = 1000
	DefaultFlushInterval = time.Second
	DefaultSpillMax      = 1_000_000
	DefaultInsertTimeout = 10 * time.Second
)

func (o Options) withDefaults() Options {
	if o.BufferRecords <= 0 {
		o.BufferRecords = DefaultBufferRecords
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.FlushInterval <= 0 {
		o.FlushInterval = DefaultFlushInterval
	}
	if o.SpillMax <= 0 {
		o.SpillMax = DefaultSpillMax
	}
	if o.InsertTimeout <= 0 || o.InsertTimeout > drainLease/2 {
		o.InsertTimeout = DefaultInsertTimeout
	}
	return o
}

// Writer is the Recorder gridcc runs: Record appends to a bounded buffer;
// Run writes the buffer to ClickHouse every FlushInterval (or as soon as a
// batch is full), parks what ClickHouse refuses in Redis, and drains Redis
// into ClickHouse when it answers again. It also answers queries (Reader).
type Writer struct {
	store *clickhouseStore
	spill *spillList
	opts  Options
	m     *metrics

	mu   sync.Mutex
	buf  []Record      // oldest first; only Run removes, from the front
	wake chan struct{} // a full batch is waiting

	lastDropLog time.Time // guarded by mu
	closed      bool      // Run has returned: nothing will write new records; guarded by mu

	// down is whether the last ClickHouse write failed; only Run's
	// goroutine touches it. Changes are logged, not every failed retry.
	down bool
}

var (
	_ Recorder = (*Writer)(nil)
	_ Reader   = (*Writer)(nil)
)

// New returns a writer inserting through conn, parking records in rdb under
// prefix (GRIDCC_REDIS_PREFIX) and registering its metrics on reg.
func New(conn Connector, rdb redis.Cmdable, prefix string, opts Options, reg prometheus.Registerer) *Writer {
	opts = opts.withDefaults()
	m := newMetrics(reg)
	w := &Writer{store: &clickhouseStore{conn: conn}, spill: newSpillList(rdb, prefix, opts.SpillMax), opts: opts, m: m,
		wake: make(chan struct{}, 1)}
	m.buffered.Set(0)
	return w
}

// Record implements Recorder. When the buffer is full the record is
// dropped, counted and logged (at most every 10 s, so a flood does not
// also flood the log).
func (w *Writer) Record(r Record) {
	r = r.Normalize()
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		w.dropped("shutdown", 1)
		return
	}
	if len(w.buf) >= w.opts.BufferRecords {
		w.dropped("buffer_full", 1)
		return
	}
	w.buf = append(w.buf, r)
	w.m.buffered.Set(float64(len(w.buf)))
	if len(w.buf) >= w.opts.BatchSize {
		select {
		case w.wake <- struct{}{}:
		default:
		}
	}
}

// dropped counts lost records; the caller holds mu.
func (w *Writer) dropped(reason string, n int) {
	w.m.dropped.WithLabelValues(reason).Add(float64(n))
	if time.Since(w.lastDropLog) >= 10*time.Second {
		w.lastDropLog = time.Now()
		slog.Error("audit: records dropped: the audit buffer and store are full or down", "reason", reason, "records", n,
			"buffered", len(w.buf), "metric", "gridcc_audit_dropped_total")
	}
}

// Run writes until ctx ends, then writes what is left (to ClickHouse, else
// Redis) within InsertTimeout × 2 and returns nil; records made after that
// are counted as dropped ("shutdown"), so cancel ctx only after the HTTP
// server has drained its requests. Panics in a round are
// logged and the loop goes on: the audit trail must not stop (等保 8.1.4.3 d).
func (w *Writer) Run(ctx context.Context) error {
	t := time.NewTicker(w.opts.FlushInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			w.shutdown()
			return nil
		case <-t.C:
		case <-w.wake:
		}
		w.round(ctx)
	}
}

// round writes the buffer, then drains Redis if ClickHouse took the buffer.
func (w *Writer) round(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			slog.Error("audit: write round panicked; retrying next round", "panic", r)
		}
	}()
	if w.flush(ctx) {
		w.drain(ctx)
	}
}

// shutdown writes the rest of the buffer on a context of its own (ctx is
// already done), so records of the last second are not lost on a deploy.
func (w *Writer) shutdown() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*w.opts.InsertTimeout)
	defer cancel()
	w.flush(ctx)
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
	if n := len(w.buf); n > 0 {
		w.m.dropped.WithLabelValues("shutdown").Add(float64(n))
		slog.Error("audit: records lost at shutdown: neither ClickHouse nor Redis took them", "records", n)
		w.buf = nil
	}
}

// flush writes the buffer in batches, oldest first: each batch to
// ClickHouse, else to the Redis spill list; a batch neither takes stays at
// the front for the next round. It reports whether ClickHouse took every
// batch (then the spill list may be drained).
func (w *Writer) flush(ctx context.Context) (clickhouseOK bool) {
	clickhouseOK = true
	for {
		w.mu.Lock()
		batch := w.buf[:min(len(w.buf), w.opts.BatchSize):min(len(w.buf), w.opts.BatchSize)]
		w.mu.Unlock()
		if len(batch) == 0 {
			return clickhouseOK
		}
		stored := 0
		if clickhouseOK {
			err := w.insert(ctx, batch)
			if err != nil && ctx.Err() != nil {
				return false // shutting down: shutdown flushes on a fresh context
			}
			w.clickhouse(err)
			if err != nil {
				clickhouseOK = false
			} else {
				stored = len(batch)
				w.m.written.Add(float64(len(batch)))
			}
		}
		if !clickhouseOK {
			sctx, cancel := context.WithTimeout(ctx, w.opts.InsertTimeout)
			pushed, err := w.spill.push(sctx, batch)
			cancel()
			w.m.spilled.Add(float64(pushed))
			stored = pushed
			if err != nil {
				slog.Error("audit: Redis refused the batch too; keeping it in memory", "records", len(batch), "err", err)
				return false
			}
		}
		w.mu.Lock()
		if stored < len(batch) { // the spill list is full: the rest is lost
			w.dropped("spill_full", len(batch)-stored)
		}
		// Only Run removes records, so the front is still this batch.
		w.buf = w.buf[len(batch):]
		w.m.buffered.Set(float64(len(w.buf)))
		w.mu.Unlock()
	}
}

// clickhouse logs when ClickHouse starts or stops taking records.
func (w *Writer) clickhouse(err error) {
	switch {
	case err != nil && !w.down:
		slog.Warn("audit: ClickHouse refuses records; parking them in Redis until it is back", "err", err)
	case err == nil && w.down:
		slog.Info("audit: ClickHouse takes records again")
	}
	w.down = err != nil
}

// insert writes one batch within InsertTimeout.
func (w *Writer) insert(ctx context.Context, batch []Record) error {
	ctx, cancel := context.WithTimeout(ctx, w.opts.InsertTimeout)
	defer cancel()
	return w.store.insert(ctx, batch)
}

// drain moves parked records into ClickHouse, a chunk at a time, while this
// replica holds the drain lock (see spillList.drain).
func (w *Writer) drain(ctx context.Context) {
	var insertErr error
	insert := func(ctx context.Context, recs []Record) error {
		insertErr = w.insert(ctx, recs)
		if insertErr == nil {
			w.m.drained.Add(float64(len(recs)))
		}
		return insertErr
	}
	moved, err := w.spill.drain(ctx, w.opts.BatchSize, w.opts.InsertTimeout, insert)
	if moved > 0 || insertErr != nil {
		w.clickhouse(insertErr)
	}
	if moved > 0 {
		slog.Info("audit: parked records written to ClickHouse", "records", moved)
	}
	if err != nil && insertErr == nil && ctx.Err() == nil {
		slog.Warn("audit: draining the parked records stopped; retrying next round", "err", err)
	}
	if n, err := w.spill.len(ctx); err == nil {
		w.m.backlog.Set(float64(n))
	}
}

// Query implements Reader.
func (w *Writer) Query(ctx context.Context, q Query) ([]Record, error) {
	return w.store.query(ctx, q)
}
