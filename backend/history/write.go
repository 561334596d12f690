package history

import (
	"context"
	"log/slog"
	"math/rand/v2"
	"slices"
	"time"
)

// write stores b, read at readAt, retrying with back-off until it succeeds
// or ctx ends (ok false). Whenever the batch's records have gone ClaimIdle/4
// without a touch — waiting behind another batch, or retrying — it touches
// them first, so that no other writer takes them over, and drops any that
// another writer took nevertheless (it returns what it wrote).
//
// Why touching matters: the store skips seqs it already has, but two
// writers that check at the same moment would both insert. A record is only
// claimed after ClaimIdle without a touch, and one attempt lasts at most
// WriteTimeout + RetryMax < ClaimIdle/4, so a writer that is alive always
// holds its records when it writes them.
func (w *lane) write(ctx context.Context, b Batch, readAt time.Time) (Batch, bool) {
	touched := readAt
	backoff := newBackoff(w.opts.RetryMax)
	for attempt := 0; ; attempt++ {
		if time.Since(touched) >= w.opts.ClaimIdle/4 {
			owned, err := w.src.Touch(ctx, b.Seqs())
			if err == nil {
				touched = time.Now()
				if len(owned) < b.Len() {
					slog.Warn("history writer: another writer took over part of a batch; dropping it here",
						"records", b.Len()-len(owned))
					b = b.Keep(func(seq uint64) bool { _, ok := slices.BinarySearch(owned, seq); return ok })
				}
				if b.Len() == 0 {
					return b, false
				}
			}
		}
		wctx, cancel := context.WithTimeout(ctx, w.opts.WriteTimeout)
		start := time.Now()
		n, err := w.store.Write(wctx, b)
		cancel()
		if err == nil {
			w.m.observeWrite(b.Len(), n, time.Since(start))
			w.setResult(nil)
			return b, true
		}
		if ctx.Err() != nil {
			return b, false
		}
		w.m.writeErrors.Inc()
		w.setResult(err)
		wait := backoff.next()
		if attempt == 0 || attempt%10 == 0 {
			slog.Warn("history writer: write failed, retrying", "records", b.Len(), "attempt", attempt+1, "err", err, "in", wait)
		}
		sleep(ctx, wait)
	}
}

func (w *Writer) setResult(err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	switch {
	case err == nil:
		if w.failing != nil {
			slog.Info("history writer: writing again", "failed_for", time.Since(w.failSince).Round(time.Second))
		}
		w.failing = nil
		w.lastWrite = time.Now()
	case w.failing == nil:
		w.failing, w.failSince = err, time.Now()
	default:
		w.failing = err
	}
}

// backoff doubles a pause from 100 ms up to a maximum, with jitter so that
// replicas do not retry in step.
type backoff struct {
	cur, max time.Duration
}

func newBackoff(max time.Duration) *backoff { return &backoff{cur: 100 * time.Millisecond, max: max} }

func (b *backoff) next() time.Duration {
	d := b.cur
	b.cur = min(b.cur*2, b.max)
	return d/2 + rand.N(d/2+1)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
