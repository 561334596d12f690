package history

import (
	"context"
	"fmt"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/event"
)

// Writer moves the log into the history store: it reads records through
// the consumer group, writes them in batches, acknowledges them only once
// the store has them, takes over what crashed writers left pending, and
// trims the log behind itself. Every replica runs one; the group shares
// the work among them.
//
// A writer runs one lane per source (each a consumer of the group): a
// lane reads a batch while it writes the one before, and the lanes write
// side by side. On the 2-core benchmark machine more lanes were no faster
// overall (docs/history.md): one insert already keeps ClickHouse busy
// there. Where ClickHouse has cores and disks to spare, lanes overlap it.
type Writer struct {
	srcs  []Source
	store Store
	rows  Rows
	opts  Options
	m     *metrics
	gate  *gate

	mu        sync.Mutex
	lastWrite time.Time
	failing   error     // the last write error, nil after a success
	failSince time.Time // when the current run of failures began
}

// NewWriter returns a writer from srcs, consumers of one group, to store.
// rows decides each row's district-local day and SLA; zero options take
// their defaults.
func NewWriter(srcs []Source, store Store, rows Rows, opts Options, reg prometheus.Registerer) (*Writer, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if rows.Zone == nil {
		return nil, fmt.Errorf("history: no time zone")
	}
	if len(srcs) == 0 {
		return nil, fmt.Errorf("history: no source")
	}
	w := &Writer{srcs: srcs, store: store, rows: rows, opts: opts, m: newMetrics(reg)}
	w.gate = newGate(srcs[0], opts.BacklogCap, w.m) // the backlog is the group's, whoever asks
	return w, nil
}

// Run writes until ctx ends, then returns nil. It survives Redis and
// ClickHouse outages (retrying with back-off) and recovers from panics,
// so an error never stops the replica; records not yet acknowledged stay
// pending and are written by the next run or another replica.
func (w *Writer) Run(ctx context.Context) error {
	var wg sync.WaitGroup
	wg.Go(func() { w.gate.refreshLoop(ctx) })
	for _, src := range w.srcs {
		l := &lane{Writer: w, src: src}
		wg.Go(func() { l.run(ctx) })
	}
	wg.Wait()
	return nil
}

// lane is the writer's work on one source.
type lane struct {
	*Writer
	src Source
}

// run runs the lane until ctx ends, restarting it after errors.
func (w *lane) run(ctx context.Context) {
	backoff := newBackoff(w.opts.RetryMax)
	for ctx.Err() == nil {
		start := time.Now()
		err := w.runOnce(ctx)
		if ctx.Err() != nil {
			break
		}
		if time.Since(start) > time.Minute {
			backoff = newBackoff(w.opts.RetryMax) // a new outage starts short again
		}
		w.m.sourceErrors.Inc()
		wait := backoff.next()
		slog.Warn("history writer: restarting", "err", err, "in", wait)
		sleep(ctx, wait)
	}
}

// delivery is a batch of records as read, with the time they were read:
// from then on they are pending here and age towards ClaimIdle.
type delivery struct {
	recs []event.Record
	at   time.Time
}

// runOnce first finishes what this consumer left pending in an earlier run,
// then reads and writes side by side: one goroutine reads the next batch
// (taking over abandoned records, trimming) while this one writes the
// current batch. The hand-over channel is unbuffered, so at most two
// batches per lane are in memory whatever the backlog, and reading stops
// while a batch cannot be written.
func (w *lane) runOnce(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("history writer panic: %v\n%s", r, debug.Stack())
		}
	}()
	var after uint64
	for {
		recs, err := w.src.Pending(ctx, after, w.opts.BatchSize)
		if err != nil {
			return fmt.Errorf("read own pending records: %w", err)
		}
		if len(recs) == 0 {
			break
		}
		after = recs[len(recs)-1].Seq
		w.process(ctx, delivery{recs, time.Now()})
	}
	rctx, cancel := context.WithCancel(ctx)
	defer cancel()
	batches := make(chan delivery)
	var readErr error
	var wg sync.WaitGroup
	wg.Go(func() {
		defer close(batches)
		defer func() {
			if r := recover(); r != nil {
				readErr = fmt.Errorf("history reader panic: %v\n%s", r, debug.Stack())
			}
		}()
		readErr = w.readLoop(rctx, batches)
	})
	for d := range batches {
		w.process(ctx, d)
	}
	wg.Wait()
	return readErr
}

// readLoop hands batches to the writing goroutine until ctx ends: records
// abandoned by crashed writers first, then new ones; it trims the log now
// and then.
func (w *lane) readLoop(ctx context.Context, out chan<- delivery) error {
	send := func(recs []event.Record) bool {
		select {
		case out <- delivery{recs, time.Now()}:
			return true
		case <-ctx.Done():
			return false
		}
	}
	var lastClaim, lastTrim time.Time
	for ctx.Err() == nil {
		if time.Since(lastClaim) >= w.opts.ClaimIdle/2 {
			recs, err := w.src.Claim(ctx, w.opts.ClaimIdle, w.opts.BatchSize)
			if err != nil {
				return fmt.Errorf("claim: %w", err)
			}
			if len(recs) > 0 {
				w.m.claimed.Add(float64(len(recs)))
				slog.Info("history writer: took over records of another writer", "records", len(recs),
					"first_seq", recs[0].Seq)
				if !send(recs) {
					return nil
				}
				continue // there may be more
			}
			lastClaim = time.Now()
		}
		recs, err := w.fill(ctx)
		if err != nil {
			return err
		}
		if len(recs) > 0 && !send(recs) {
			return nil
		}
		if time.Since(lastTrim) >= w.opts.TrimEvery {
			n, err := w.src.Trim(ctx, w.opts.KeepRecent)
			if err != nil {
				return fmt.Errorf("trim: %w", err)
			}
			w.m.trimmed.Add(float64(n))
			lastTrim = time.Now()
		}
	}
	return nil
}

// fillReads is how many reads fill makes at most while a batch gathers,
// besides the one that waits for its first record.
const fillReads = 10

// fill reads until the batch is full or FlushInterval has passed since its
// first record; with nothing to read it returns empty after FlushInterval.
//
// Once the batch has begun it does not block on the next record but pauses
// FlushInterval/fillReads between reads: a blocking read returns with
// every one or two new records of a steady stream, and at 1,000 events/s
// those round trips cost Redis and this replica a wake-up each, CPU that
// the live path then lacks. A backlog fills the batch in one read, so the
// pauses never slow catching up.
func (w *lane) fill(ctx context.Context) ([]event.Record, error) {
	batch, err := w.src.Read(ctx, w.opts.BatchSize, w.opts.FlushInterval)
	if err != nil || len(batch) == 0 {
		return nil, w.readErr(ctx, err)
	}
	deadline := time.Now().Add(w.opts.FlushInterval)
	pause := w.opts.FlushInterval / fillReads
	for len(batch) < w.opts.BatchSize {
		left := time.Until(deadline)
		if left < time.Millisecond {
			break
		}
		sleep(ctx, min(pause, left))
		if ctx.Err() != nil {
			return nil, nil // shutting down: what was read stays pending
		}
		recs, err := w.src.Read(ctx, w.opts.BatchSize-len(batch), 0)
		if err != nil {
			return nil, w.readErr(ctx, err)
		}
		batch = append(batch, recs...)
	}
	return batch, nil
}

// readErr is a failed read's error for readLoop; nil when ctx ended, as the
// records read so far stay pending and the next run takes them.
func (w *lane) readErr(ctx context.Context, err error) error {
	if err == nil || ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("read: %w", err)
}

// process writes records and acknowledges them. It returns when both are
// done or ctx ended (the records then stay pending: nothing is lost).
func (w *lane) process(ctx context.Context, d delivery) {
	b := w.rows.Batch(d.recs)
	b, ok := w.write(ctx, b, d.at)
	if !ok || b.Len() == 0 {
		return
	}
	seqs := b.Seqs()
	backoff := newBackoff(w.opts.RetryMax)
	for {
		err := w.src.Ack(ctx, seqs)
		if err == nil || ctx.Err() != nil {
			return
		}
		// The rows are stored; a record acknowledged late is at worst
		// delivered again and skipped as a duplicate.
		w.m.sourceErrors.Inc()
		wait := backoff.next()
		slog.Warn("history writer: ack failed, retrying", "err", err, "in", wait)
		sleep(ctx, wait)
	}
}
