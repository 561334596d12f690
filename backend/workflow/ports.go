package workflow

import (
	"context"
	"errors"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// Version is a store's compare-and-set token for one event's state (in
// Redis: its status and updated_at). The domain only passes it back.
type Version string

// Loaded is an event's state with its version.
type Loaded struct {
	Event   event.Event
	Version Version
}

// Item is one event's update within a Commit.
type Item struct {
	Expect Version      // the version the update was decided on
	Record event.Record // Type update: the new state and the change; the store assigns Seq
	// Schedule lists deadlines to queue (a deadline already queued keeps
	// its place); Unschedule deadlines to forget.
	Schedule, Unschedule []Deadline
	// Care replaces the event's long-term-care follow-ups; nil leaves them.
	Care *Care
}

// Commit is what one action or one fired deadline writes: one item, or two
// for a merge (the merged event and the case it joins).
type Commit struct {
	Items []Item
	// Fire is the deadline this commit fires, nil for a person's action.
	Fire *Deadline
}

// Errors of Store.Commit. They are plain sentinels: the use case turns them
// into *apperr.Error for callers.
var (
	// ErrConflict: some item's state is no longer at its Expect version
	// (another action won the race). Nothing was written.
	ErrConflict = errors.New("workflow: the event changed meanwhile")
	// ErrGone: Commit.Fire is no longer queued (it fired on another
	// replica, or was dropped). Nothing was written.
	ErrGone = errors.New("workflow: the deadline is no longer queued")
)

// Store is the operational state the use case acts on.
type Store interface {
	// Get returns an event's state and version; an *apperr.Error with code
	// NotFound when there is none (never reported, or a closed event whose
	// state expired).
	Get(ctx context.Context, id string) (Loaded, error)
	// Commit applies every item atomically, all or nothing, in order:
	// appends its update record to the durable log with the next seq,
	// stores the new state (removing a done event from the open set and
	// keeping its state for the closed-state TTL), appends the change to
	// the event's timeline, queues and forgets deadlines, replaces the
	// follow-ups, and publishes the record live. It returns the seqs
	// assigned. Nothing is written when it returns ErrConflict, ErrGone,
	// an apperr NotFound (a state vanished) or another error; with another
	// error the outcome may be unknown (Redis did not answer).
	Commit(ctx context.Context, c Commit) ([]uint64, error)
	// Care returns the event's follow-ups, nil when it has none.
	Care(ctx context.Context, id string) (*Care, error)
	// Disputes returns the ids of the disputes reported in a grid at or
	// after since (as recorded by Queue.Start).
	Disputes(ctx context.Context, gridID string, since time.Time) ([]string, error)
}

// Reader answers the read side of the API.
type Reader interface {
	// Timeline returns the changes an event went through after its report,
	// oldest first (at most the store's cap, the newest kept), with Seq set.
	Timeline(ctx context.Context, id string) ([]event.Change, error)
	// Events returns every open event and every event done within the
	// closed-state TTL, in no particular order, with the time it was done.
	Events(ctx context.Context) ([]Listed, error)
	// Cares returns every event's follow-ups that still has one pending.
	Cares(ctx context.Context) ([]Care, error)
}

// NewCase is a newly reported event for Queue.Start.
type NewCase struct {
	Event  event.Event
	Intake event.Intake // what its case starts with (Rules.Intake)
}

// Queue is the SLA deadline queue the timer works through. Every replica
// runs a timer; the queue makes each deadline fire once across them.
type Queue interface {
	// Open returns every open event.
	Open(ctx context.Context) ([]event.Event, error)
	// Start starts the clocks of new events, each on its own: it queues
	// an event's first deadlines unless a workflow update has touched the
	// event since its report (that update queued them; checked atomically
	// with the queueing), and for a dispute records its report time in its
	// grid's recent-disputes set. Calling it again with the same events is
	// harmless.
	Start(ctx context.Context, news []NewCase) error
	// Claim returns up to max deadlines due at now and hides them for
	// lease: a claimed deadline comes due again after lease unless a Commit
	// fired it or Drop removed it, so a replica that dies while firing
	// loses nothing.
	Claim(ctx context.Context, now time.Time, lease time.Duration, max int) ([]Deadline, error)
	// Drop forgets a deadline that no longer applies.
	Drop(ctx context.Context, d Deadline) error
}
