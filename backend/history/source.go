package history

import (
	"context"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// Source is the durable log as one consumer of a consumer group sees it:
// delivery is at-least-once, and a record stays pending for its consumer
// until acknowledged.
//
// Contract:
//   - Read returns up to max records no consumer of the group has been
//     given yet, in seq order, waiting up to wait for the first (none when
//     none came; wait ≤ 0 does not wait). They are pending for this
//     consumer until Ack.
//   - Pending returns up to max of this consumer's own pending records
//     with seq > after, oldest first: what an earlier run under the same
//     consumer name read but did not acknowledge.
//   - Claim moves up to max records that have been pending at any consumer
//     for at least minIdle (a crashed writer's) to this one and returns them.
//   - Touch resets the idle time of those seqs still pending for this
//     consumer, so no one claims them, and returns them; the others were
//     claimed by someone else and must be dropped.
//   - Ack acknowledges seqs: they are never delivered again.
//   - Trim removes records every consumer has acknowledged, never a pending
//     or undelivered one, keeping at least the newest keep records for
//     replays; it returns how many it removed.
//   - Backlog reports what the group has not acknowledged yet.
//
// Errors are transient unless the context ended: the caller retries. The
// methods may be called concurrently, except Claim with itself.
type Source interface {
	Read(ctx context.Context, max int, wait time.Duration) ([]event.Record, error)
	Pending(ctx context.Context, after uint64, max int) ([]event.Record, error)
	Claim(ctx context.Context, minIdle time.Duration, max int) ([]event.Record, error)
	Touch(ctx context.Context, seqs []uint64) ([]uint64, error)
	Ack(ctx context.Context, seqs []uint64) error
	Trim(ctx context.Context, keep int64) (int64, error)
	Backlog(ctx context.Context) (Backlog, error)
}

// Backlog is what a consumer group has not acknowledged yet.
type Backlog struct {
	Records int64     // appended but not acknowledged, pending or not yet delivered
	Oldest  time.Time // change time of the oldest of them; zero when Records is 0
}

// Store keeps history rows.
//
// Contract: Write stores every row of b whose seq is not stored yet and
// skips the others, so writing a batch again — whole or in part, after a
// success or a failure — never stores a record twice, in the rows or in
// anything aggregated from them. It returns how many records it newly
// stored. On error any subset of b may be stored and the caller writes the
// same batch again. Two Writes with overlapping seqs must not run at the
// same time; the writer guarantees that through Source.Touch (see
// docs/history.md, "Exactly once"). Ping reports whether the store answers.
type Store interface {
	Write(ctx context.Context, b Batch) (int, error)
	Ping(ctx context.Context) error
}
