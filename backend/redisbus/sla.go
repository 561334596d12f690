package redisbus

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

var (
	//go:embed lua/claim_due.lua
	claimDueLua string
	//go:embed lua/workflow_intake.lua
	intakeLua string
)

// reportsPage bounds the records one Reports call reads.
const reportsPage = 1000

// Reports returns the events reported after seq `after` (see
// workflow.Queue). Update records are skipped. A log that went backwards
// (Redis lost data) or was trimmed past after makes it start over from the
// open events.
func (c *CaseStore) Reports(ctx context.Context, after uint64) ([]event.Event, uint64, error) {
	h, err := c.log.Head(ctx)
	if err != nil {
		return nil, after, err
	}
	if after == 0 || h.Seq < after {
		return c.openEvents(ctx)
	}
	if h.Seq == after {
		return nil, after, nil
	}
	until := min(h.Seq, after+reportsPage)
	recs, err := c.log.Range(ctx, after, until)
	if errors.Is(err, ErrTrimmed) {
		return c.openEvents(ctx)
	}
	if err != nil {
		return nil, after, err
	}
	var evs []event.Event
	for _, r := range recs {
		if r.Type == event.RecordEvent {
			evs = append(evs, r.Event)
		}
	}
	return evs, until, nil
}

// openEvents reads every open event with the seq it is current at, in one
// atomic step (the snapshot the followers load too).
func (c *CaseStore) openEvents(ctx context.Context) ([]event.Event, uint64, error) {
	st, err := c.log.State(ctx, "")
	if err != nil {
		return nil, 0, err
	}
	return st.Open, st.Seq, nil
}

// Start starts the clocks of new events (see workflow.Queue), pipelined in
// one round trip.
func (c *CaseStore) Start(ctx context.Context, news []workflow.NewCase) error {
	if len(news) == 0 {
		return nil
	}
	err := c.startPipelined(ctx, news)
	if err != nil && isNoScript(err) {
		// After a Redis restart the script cache is empty. Every EVALSHA
		// failed alike, and Start is idempotent anyway: load and retry.
		if lerr := c.intake.Load(ctx, c.rdb).Err(); lerr != nil {
			return fmt.Errorf("redisbus: load intake script: %w", lerr)
		}
		err = c.startPipelined(ctx, news)
	}
	if err != nil {
		return fmt.Errorf("redisbus: start clocks: %w", err)
	}
	return nil
}

func (c *CaseStore) startPipelined(ctx context.Context, news []workflow.NewCase) error {
	keep := time.Now().Add(-c.opts.DisputeRetention).UnixMilli()
	pipe := c.rdb.Pipeline()
	for _, n := range news {
		e := n.Event
		d := "0"
		if n.Dispute && e.GridID != "" {
			d = "1"
		}
		args := []any{d, e.ID, e.ReportedAt.UnixMilli(), keep, int64(c.opts.DisputeRetention.Seconds())}
		for _, dl := range n.First {
			args = append(args, dl.Member(), dl.Due.UnixMilli())
		}
		keys := []string{c.keys.SLADue(), c.keys.Event(e.ID), c.keys.Disputes(e.GridID)}
		c.intake.EvalSha(ctx, pipe, keys, args...)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// Claim claims the deadlines due at now for lease (see workflow.Queue). A
// member that does not parse is dropped and logged: it can never fire.
func (c *CaseStore) Claim(ctx context.Context, now time.Time, lease time.Duration, max int) ([]workflow.Deadline, error) {
	members, err := c.claim.Run(ctx, c.rdb, []string{c.keys.SLADue()}, now.UnixMilli(), lease.Milliseconds(), max).StringSlice()
	if err != nil {
		return nil, fmt.Errorf("redisbus: claim deadlines: %w", err)
	}
	out := make([]workflow.Deadline, 0, len(members))
	for _, m := range members {
		d, err := workflow.ParseDeadline(m)
		if err != nil {
			slog.Error("sla: dropping a malformed deadline", "member", m, "err", err)
			c.rdb.ZRem(ctx, c.keys.SLADue(), m)
			continue
		}
		out = append(out, d)
	}
	return out, nil
}

// Drop forgets a deadline.
func (c *CaseStore) Drop(ctx context.Context, d workflow.Deadline) error {
	if err := c.rdb.ZRem(ctx, c.keys.SLADue(), d.Member()).Err(); err != nil {
		return fmt.Errorf("redisbus: drop deadline: %w", err)
	}
	return nil
}
