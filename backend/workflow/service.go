package workflow

import (
	"context"
	"errors"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/event"
)

// Authorize says whether the caller may take an action on an event (the
// roles and scopes of package auth decide): nil, or an *apperr.Error with
// code Forbidden. Reads ask with the action "view".
type Authorize func(e *event.Event, action string) error

// ActionView is what Authorize is asked for reads.
const ActionView = "view"

// Service is the case-workflow use case.
type Service struct {
	rules *Rules
	store Store
	read  Reader
	now   func() time.Time
}

// NewService returns the use case over a store and its read side.
func NewService(rules *Rules, store Store, read Reader) *Service {
	return &Service{rules: rules, store: store, read: read, now: time.Now}
}

// Result is what an action did.
type Result struct {
	Event  event.Event  `json:"event"`          // the event's new state
	Change event.Change `json:"change"`         // the change, with its seq
	Into   *event.Event `json:"into,omitempty"` // merge: the new state of the case merged into
	Care   *Care        `json:"care,omitempty"` // close, followup_done: the long-term care it started or updated
}

// Act takes one action on one event for actor. The order, and why:
//
//  1. load the current state (and, for a merge, the case merged into; for
//     close and followup_done the follow-ups and the grid's recent
//     disputes): every decision below is about this version;
//  2. authorize on the loaded state, because scope (the event's street)
//     is a property of the event;
//  3. decide (Rules.Decide: the transition table, the data, the new state
//     and change, SLA deadlines, long-term care) without I/O;
//  4. commit with compare-and-set on the loaded version: the log append,
//     the state, the timeline, the deadline queue and the live publication
//     happen together or not at all, and only if nobody changed the event
//     since step 1;
//  5. on a lost race, once more from step 1 with the fresh state (the
//     action may still make sense, e.g. a comment); a second loss is a 409.
//
// Errors are *apperr.Error: NotFound (unknown event), Forbidden (from
// authorize), Conflict (illegal transition, lost race), Invalid (target or
// data), Unavailable (the store did not answer).
func (s *Service) Act(ctx context.Context, id string, req Request, actor string, authorize Authorize) (Result, error) {
	for attempt := 0; ; attempt++ {
		in, err := s.load(ctx, id, req)
		if err != nil {
			return Result{}, err
		}
		if err := authorize(&in.Current.Event, string(req.Action)); err != nil {
			return Result{}, err
		}
		if in.Into != nil {
			if err := authorize(&in.Into.Event, string(req.Action)); err != nil {
				return Result{}, err
			}
		}
		in.Actor, in.Now = actor, s.now()
		c, err := s.rules.Decide(in)
		if err != nil {
			return Result{}, err
		}
		seqs, err := s.store.Commit(ctx, c)
		switch {
		case errors.Is(err, ErrConflict) && attempt == 0:
			continue
		case errors.Is(err, ErrConflict):
			return Result{}, apperr.Wrap(err, apperr.Conflict, "event %s was changed by someone else twice while acting; reload it and try again", id)
		case apperr.CodeOf(err) == apperr.NotFound:
			return Result{}, err
		case err != nil:
			return Result{}, apperr.Wrap(err, apperr.Unavailable, "the event store is unavailable; nothing was changed, retry later")
		}
		return result(c, seqs), nil
	}
}

// load reads what Decide needs for this request.
func (s *Service) load(ctx context.Context, id string, req Request) (Input, error) {
	cur, err := s.store.Get(ctx, id)
	if err != nil {
		return Input{}, unavailable(err)
	}
	in := Input{Current: cur, Request: req}
	if req.Action == Merge && req.Into != id {
		into, err := s.store.Get(ctx, req.Into)
		switch {
		case err == nil:
			in.Into = &into
		case apperr.CodeOf(err) != apperr.NotFound:
			return Input{}, unavailable(err)
		}
	}
	if req.Action == Close || req.Action == FollowUpDone {
		if in.Care, err = s.store.Care(ctx, id); err != nil {
			return Input{}, unavailable(err)
		}
	}
	if req.Action == Close && IsDispute(&cur.Event) && cur.Event.GridID != "" {
		since := s.now().Add(-s.rules.Care.Window)
		if in.Disputes, err = s.store.Disputes(ctx, cur.Event.GridID, since); err != nil {
			return Input{}, unavailable(err)
		}
	}
	return in, nil
}

// unavailable keeps *apperr.Error codes and turns anything else (a driver
// error) into Unavailable.
func unavailable(err error) error {
	var ae *apperr.Error
	if errors.As(err, &ae) {
		return err
	}
	return apperr.Wrap(err, apperr.Unavailable, "the event store is unavailable, retry later")
}

func result(c Commit, seqs []uint64) Result {
	first := c.Items[0].Record
	first.SetSeq(seqs[0])
	r := Result{Event: first.Event, Change: first.Change, Care: c.Items[0].Care}
	if len(c.Items) > 1 {
		into := c.Items[1].Record.Event
		r.Into = &into
	}
	return r
}

// Source is an event merged into a case, with its own timeline.
type Source struct {
	Event    event.Event    `json:"event"`
	Timeline []event.Change `json:"timeline"`
}

// Detail is GET /api/v1/events/{id}: the state, its timeline (the report
// first), the events merged into it with theirs, its long-term care, and,
// while open, the open events that may be duplicates of it.
type Detail struct {
	Event       event.Event    `json:"event"`
	Timeline    []event.Change `json:"timeline"`
	Allowed     []Action       `json:"allowed_actions"`
	Merged      []Source       `json:"merged"`
	Care        *Care          `json:"care,omitempty"`
	Suggestions []Suggestion   `json:"suggestions"`
}

// Detail reads one event for a caller that authorize lets view it.
func (s *Service) Detail(ctx context.Context, id string, authorize Authorize) (Detail, error) {
	cur, err := s.store.Get(ctx, id)
	if err != nil {
		return Detail{}, unavailable(err)
	}
	e := cur.Event
	if err := authorize(&e, ActionView); err != nil {
		return Detail{}, err
	}
	d := Detail{Event: e, Allowed: Allowed(&e), Merged: []Source{}, Suggestions: []Suggestion{}}
	if d.Timeline, err = s.timeline(ctx, e); err != nil {
		return Detail{}, err
	}
	for _, mid := range e.Merged {
		src, err := s.store.Get(ctx, mid)
		if apperr.CodeOf(err) == apperr.NotFound {
			continue // expired with the closed-state TTL
		}
		if err != nil {
			return Detail{}, unavailable(err)
		}
		tl, err := s.timeline(ctx, src.Event)
		if err != nil {
			return Detail{}, err
		}
		d.Merged = append(d.Merged, Source{Event: src.Event, Timeline: tl})
	}
	if d.Care, err = s.store.Care(ctx, id); err != nil {
		return Detail{}, unavailable(err)
	}
	if e.Open() {
		all, err := s.read.Events(ctx)
		if err != nil {
			return Detail{}, unavailable(err)
		}
		open := make([]event.Event, 0, len(all))
		for _, l := range all {
			if l.Event.Open() && authorize(&l.Event, ActionView) == nil {
				open = append(open, l.Event)
			}
		}
		d.Suggestions = append(d.Suggestions, Suggestions(&e, open)...)
	}
	return d, nil
}

// timeline is the report (rebuilt from the event: the report record is
// the ingest's, and its seq is not kept) followed by the stored changes.
func (s *Service) timeline(ctx context.Context, e event.Event) ([]event.Change, error) {
	changes, err := s.read.Timeline(ctx, e.ID)
	if err != nil {
		return nil, unavailable(err)
	}
	return append([]event.Change{event.NewReportedChange(e, e.Source)}, changes...), nil
}

// List runs a query over the open and recently done events the caller may
// view.
func (s *Service) List(ctx context.Context, q Query, authorize Authorize) (Page, error) {
	if err := q.Check(); err != nil {
		return Page{}, err
	}
	all, err := s.read.Events(ctx)
	if err != nil {
		return Page{}, unavailable(err)
	}
	return q.Run(all, func(e *event.Event) bool { return authorize(e, ActionView) == nil }), nil
}

// FollowUps lists the long-term care with follow-ups pending, of one street
// and grid when given, for the caller's view. The event of a care is
// rebuilt from the care's place for authorize (its state may have expired).
func (s *Service) FollowUps(ctx context.Context, street, grid string, authorize Authorize) ([]Care, error) {
	cares, err := s.read.Cares(ctx)
	if err != nil {
		return nil, unavailable(err)
	}
	out := []Care{}
	for _, c := range cares {
		e := event.Event{ID: c.EventID, GridID: c.GridID, CommunityID: c.CommunityID, StreetCode: c.StreetCode, Status: event.Closed}
		if (street == "" || c.StreetCode == street) && (grid == "" || c.GridID == grid) && authorize(&e, ActionView) == nil {
			out = append(out, c)
		}
	}
	return out, nil
}

// Directory lists the departments and volunteer teams (no grid workers: they
// are people).
func (s *Service) Directory() []directory.Entry { return s.rules.Directory.List() }
