package retention

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/history"
)

// Partition is one partition of a table.
type Partition struct {
	ID    string // partition_id: "202401" for toYYYYMM, "all" without a key
	Rows  uint64
	Bytes uint64 // on disk
}

// Store lists and drops partitions of the history database; *chstore.Store
// implements it.
//
// Contract: Partitions returns the active partitions of table in id order
// (none for a table that does not exist yet is fine too); DropPartition
// removes one partition's rows from table and all its parts, and succeeds
// when the partition is already gone. DeleteBefore has the rows of table
// whose day is before first deleted, soon if not at once (a ClickHouse
// mutation), and returns how many it asked to delete: 0 when there are
// none, or while an earlier deletion of table is still under way. Errors
// while ClickHouse is down are *apperr.Error with code Unavailable.
type Store interface {
	Partitions(ctx context.Context, table string) ([]Partition, error)
	DropPartition(ctx context.Context, table, id string) error
	DeleteBefore(ctx context.Context, table string, first history.Date) (uint64, error)
}

// Locker is a lock shared by every replica (*redisbus.Lock): Lock blocks
// until the caller holds it or ctx ends, and unlock releases it.
type Locker interface {
	Lock(ctx context.Context) (unlock func(), err error)
}

// Defaults of Options.
const (
	DefaultInterval = time.Hour
	// DefaultLockWait is how long a run waits for the lock. Another replica
	// holding it longer is running the job itself; this round is skipped.
	DefaultLockWait = 10 * time.Second
)

// Options configure a Job.
type Options struct {
	Policies []Policy         // from Policies
	Zone     *time.Location   // the district's: "today" is its day
	Interval time.Duration    // between runs; 0: DefaultInterval
	LockWait time.Duration    // 0: DefaultLockWait
	Now      func() time.Time // nil: time.Now
}

// Job drops the expired partitions of every policy, once at start and then
// every Interval. Several replicas each run one; the lock makes them take
// turns, and a run after another replica's finds nothing left to drop.
type Job struct {
	store Store
	lock  Locker
	opts  Options
	m     *metrics
}

// New returns a Job; reg (may be nil) receives its metrics.
func New(store Store, lock Locker, opts Options, reg prometheus.Registerer) *Job {
	if opts.Interval <= 0 {
		opts.Interval = DefaultInterval
	}
	if opts.LockWait <= 0 {
		opts.LockWait = DefaultLockWait
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Zone == nil {
		opts.Zone = time.UTC
	}
	return &Job{store: store, lock: lock, opts: opts, m: newMetrics(reg)}
}

// Dropped is one partition a run dropped.
type Dropped struct {
	Table string
	Partition
}

// Run runs the job until ctx ends. A failed run (ClickHouse or Redis down)
// is logged and tried again at the next interval: retention is never a
// reason to stop a replica.
func (j *Job) Run(ctx context.Context) error {
	slog.Info("retention job started", "policies", j.opts.Policies, "interval", j.opts.Interval)
	t := time.NewTicker(j.opts.Interval)
	defer t.Stop()
	for {
		j.safeRun(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// safeRun is one run with its outcome logged, a panic included.
func (j *Job) safeRun(ctx context.Context) {
	defer func() {
		if p := recover(); p != nil {
			j.m.runs.WithLabelValues("error").Inc()
			slog.Error("retention: run panicked", "panic", p)
		}
	}()
	if _, err := j.RunOnce(ctx); err != nil && ctx.Err() == nil {
		slog.Warn("retention: run failed; trying again at the next interval", "err", err, "in", j.opts.Interval)
	}
}

// errBusy means another replica held the lock for longer than LockWait.
var errBusy = errors.New("another replica is running the retention job")

// RunOnce drops, under the lock, every expired partition of every policy
// and returns what it dropped. It skips (nil, nil) when another replica
// held the lock for longer than LockWait.
func (j *Job) RunOnce(ctx context.Context) ([]Dropped, error) {
	dropped, err := j.runLocked(ctx)
	switch {
	case errors.Is(err, errBusy):
		j.m.runs.WithLabelValues("skipped").Inc()
		slog.Debug("retention: skipped", "why", err)
		return nil, nil
	case err != nil:
		j.m.runs.WithLabelValues("error").Inc()
		return dropped, err
	}
	j.m.runs.WithLabelValues("ok").Inc()
	j.m.lastSuccess.SetToCurrentTime()
	return dropped, nil
}

func (j *Job) runLocked(ctx context.Context) ([]Dropped, error) {
	lctx, cancel := context.WithTimeout(ctx, j.opts.LockWait)
	unlock, err := j.lock.Lock(lctx)
	cancel()
	if err != nil {
		if ctx.Err() == nil && errors.Is(err, context.DeadlineExceeded) {
			return nil, errBusy
		}
		return nil, fmt.Errorf("retention: lock: %w", err)
	}
	defer unlock()
	today := history.DateOf(j.opts.Now(), j.opts.Zone)
	var dropped []Dropped
	for _, p := range j.opts.Policies {
		parts, err := j.store.Partitions(ctx, p.Table)
		if err != nil {
			return dropped, err
		}
		ids := make([]string, len(parts))
		byID := make(map[string]Partition, len(parts))
		for i, part := range parts {
			ids[i], byID[part.ID] = part.ID, part
		}
		for _, id := range Expired(ids, today, p.KeepDays) {
			if err := j.store.DropPartition(ctx, p.Table, id); err != nil {
				return dropped, err
			}
			part := byID[id]
			dropped = append(dropped, Dropped{Table: p.Table, Partition: part})
			j.m.partitions.WithLabelValues(p.Table).Inc()
			j.m.rows.WithLabelValues(p.Table).Add(float64(part.Rows))
			slog.Info("retention: dropped a partition", "table", p.Table, "partition", id,
				"rows", part.Rows, "bytes", part.Bytes, "keep_days", p.KeepDays, "today", today)
		}
		if p.Yearly && p.KeepDays > 0 {
			if err := j.deleteMonths(ctx, p, today); err != nil {
				return dropped, err
			}
		}
	}
	return dropped, nil
}

// deleteMonths deletes the expired months of the year partitions that are
// not wholly expired yet.
func (j *Job) deleteMonths(ctx context.Context, p Policy, today history.Date) error {
	kept := KeptFrom(today, p.KeepDays)
	n, err := j.store.DeleteBefore(ctx, p.Table, kept)
	if err != nil || n == 0 {
		return err
	}
	j.m.rows.WithLabelValues(p.Table).Add(float64(n))
	slog.Info("retention: deleting the expired months of a yearly partition", "table", p.Table,
		"before", kept, "rows", n, "keep_days", p.KeepDays, "today", today)
	return nil
}
