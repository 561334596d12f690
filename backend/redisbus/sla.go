package redisbus

import (
	"context"
	_ "embed"
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

// Open returns every open event (see workflow.Queue), in one atomic step
// (the snapshot the followers load too).
func (c *CaseStore) Open(ctx context.Context) ([]event.Event, error) {
	st, err := c.log.State(ctx, "")
	if err != nil {
		return nil, err
	}
	return st.Open, nil
}

// startChunk bounds the intake scripts one round trip carries: Redis runs a
// client's pipelined commands back to back, and every append waits behind
// them. A replica starting over a district's open events (thousands) must
// not stall ingest.
const startChunk = 64

// Start starts the clocks of new events (see workflow.Queue), pipelined in
// round trips of startChunk.
func (c *CaseStore) Start(ctx context.Context, news []workflow.NewCase) error {
	for len(news) > 0 {
		n := min(len(news), startChunk)
		if err := c.startChunk(ctx, news[:n]); err != nil {
			return err
		}
		news = news[n:]
	}
	return nil
}

func (c *CaseStore) startChunk(ctx context.Context, news []workflow.NewCase) error {
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
	now := time.Now()
	pipe := c.rdb.Pipeline()
	for _, n := range news {
		e := &n.Event
		args := appendIntakeArgs([]any{e.ID}, e, n.Intake, c.opts.DisputeRetention, now)
		keys := []string{c.keys.SLADue(), c.keys.Event(e.ID), c.keys.Disputes(e.GridID)}
		c.intake.EvalSha(ctx, pipe, keys, args...)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// appendIntakeArgs appends what the append and intake scripts take to start
// e's case: '1' for a dispute else '0', its report time (ms), the oldest
// dispute report kept (ms), the disputes set's TTL (s), then (due ms,
// member) per first deadline: in ZADD's order, so one ZADD queues them all.
func appendIntakeArgs(args []any, e *event.Event, in event.Intake, keepDisputes time.Duration, now time.Time) []any {
	dispute := "0"
	if in.Dispute {
		dispute = "1"
	}
	args = append(args, dispute, e.ReportedAt.UnixMilli(), now.Add(-keepDisputes).UnixMilli(), int64(keepDisputes.Seconds()))
	for _, d := range in.Deadlines {
		args = append(args, d.Due.UnixMilli(), d.Member)
	}
	return args
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
