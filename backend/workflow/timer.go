package workflow

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// TimerOptions bound the SLA timer; zero fields take the defaults.
type TimerOptions struct {
	Tick  time.Duration // how often it looks for new reports and due deadlines; default 1 s
	Lease time.Duration // how long a claimed deadline stays hidden from other replicas; default 30 s
	Batch int           // deadlines claimed per round trip; default 100
}

func (o TimerOptions) withDefaults() TimerOptions {
	if o.Tick <= 0 {
		o.Tick = time.Second
	}
	if o.Lease <= 0 {
		o.Lease = 30 * time.Second
	}
	if o.Batch <= 0 {
		o.Batch = 100
	}
	return o
}

// Timer is the SLA clock of one replica. Every replica runs one; the queue
// makes each deadline fire once across them (see Tick). A Timer is used by
// one goroutine (Run, or a test calling Tick).
type Timer struct {
	rules *Rules
	store Store
	queue Queue
	opts  TimerOptions
	now   func() time.Time
	// started: the open events' clocks were started once (startOpen).
	started bool
}

// NewTimer returns the timer over the store and its deadline queue.
func NewTimer(rules *Rules, store Store, queue Queue, opts TimerOptions) *Timer {
	return &Timer{rules: rules, store: store, queue: queue, opts: opts.withDefaults(), now: time.Now}
}

// Run ticks until ctx ends. A failed tick (Redis away) is logged and
// retried with jittered back-off; a panic is recovered and logged, so the
// clock keeps going. It returns nil when ctx ends.
func (t *Timer) Run(ctx context.Context) error {
	backoff := t.opts.Tick
	for {
		err := t.safeTick(ctx)
		wait := t.opts.Tick
		if err != nil && ctx.Err() == nil {
			slog.Warn("sla timer: tick failed, retrying", "err", err, "in", backoff)
			wait = backoff + rand.N(backoff/2+1)
			backoff = min(backoff*2, 30*time.Second)
		} else {
			backoff = t.opts.Tick
		}
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(wait):
		}
	}
}

func (t *Timer) safeTick(ctx context.Context) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("sla timer panic: %v\n%s", r, debug.Stack())
		}
	}()
	return t.Tick(ctx)
}

// Tick does one round:
//
//  1. at its first round, start the clocks of every open event (queue their
//     first deadlines, note disputes per grid). New events' clocks start
//     with their append (ingest stores Rules.Intake with the report); this
//     covers events stored without (by an older version, or restored).
//     Queue.Start is idempotent, so every replica may do it;
//  2. claim the deadlines due now. A claim hides a deadline for the lease,
//     so replicas do not all work on the same one;
//  3. fire each: load the event, let Rules.Fire decide, and commit with
//     the deadline as Fire. The commit removes the deadline atomically with
//     appending its update and refuses when it is gone, so a deadline whose
//     lease ran out while a slow replica still worked on it fires once;
//     a replica that dies after claiming leaves it to come due again.
func (t *Timer) Tick(ctx context.Context) error {
	if !t.started {
		if err := t.startOpen(ctx); err != nil {
			return err
		}
		t.started = true
	}
	due, err := t.queue.Claim(ctx, t.now(), t.opts.Lease, t.opts.Batch)
	if err != nil {
		return err
	}
	var errs []error
	for _, d := range due {
		if err := t.fire(ctx, d); err != nil {
			errs = append(errs, fmt.Errorf("deadline %s: %w", d.Member(), err))
		}
	}
	return errors.Join(errs...)
}

// startOpen starts the clocks of every open event.
func (t *Timer) startOpen(ctx context.Context) error {
	evs, err := t.queue.Open(ctx)
	if err != nil {
		return err
	}
	news := make([]NewCase, len(evs))
	for i, e := range evs {
		news[i] = NewCase{Event: e, Intake: t.rules.Intake(&e)}
	}
	return t.queue.Start(ctx, news)
}

// fire fires one deadline; a lost race is retried once with the fresh
// state, and after that the deadline is left to come due again.
func (t *Timer) fire(ctx context.Context, d Deadline) error {
	for attempt := 0; attempt < 2; attempt++ {
		cur, err := t.store.Get(ctx, d.EventID)
		if apperr.CodeOf(err) == apperr.NotFound {
			return t.queue.Drop(ctx, d)
		}
		if err != nil {
			return err
		}
		c, ok := t.rules.Fire(cur, d, t.now())
		if !ok {
			return t.queue.Drop(ctx, d)
		}
		_, err = t.store.Commit(ctx, c)
		switch {
		case err == nil, errors.Is(err, ErrGone):
			return nil
		case !errors.Is(err, ErrConflict):
			return err
		}
	}
	return nil
}
