package workflow

import (
	"slices"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/event"
)

// Rules is the workflow's domain: the transition table (rules), the SLA
// policy, the directory and the long-term-care policy. It does no I/O and
// reads no clock, and is safe for concurrent use.
type Rules struct {
	Directory *directory.Directory
	SLA       Policy
	Care      CarePolicy
}

// Input is everything an action is decided on.
type Input struct {
	Current  Loaded   // the event acted on
	Into     *Loaded  // merge: the case to merge into
	Care     *Care    // the event's follow-ups, nil when none
	Disputes []string // close: ids of disputes reported in the event's grid within Care.Window
	Request  Request  // decoded and checked by DecodeRequest
	Actor    string
	Now      time.Time
}

// defaultOnScene is a whistle's on-scene deadline for a department without
// its own.
const defaultOnScene = 30 * time.Minute

// Decide validates the action against the transition table and the data,
// and builds the commit: the new state and change of the event (and, for a
// merge, of the case it joins), the deadlines to queue and forget, and the
// follow-ups. It starts the SLA clocks of an event nobody has acted on yet.
// Errors are *apperr.Error: Conflict for an action the state does not allow
// (naming the state and the allowed actions) or data that conflicts (a
// department without a pending check-in, a follow-up done already, a merge
// into a closed case); Invalid naming the field for a target the directory
// does not have or that serves another street.
func (r *Rules) Decide(in Input) (Commit, error) {
	a := in.Request.Action
	e := in.Current.Event
	r.SLA.StartClocks(&e)
	if err := checkAllowed(&e, a); err != nil {
		return Commit{}, err
	}
	next := e
	ch := event.Change{EventID: e.ID, At: in.Now.UTC(), From: e.Status, Actor: in.Actor,
		Reason: in.Request.Reason, Action: string(a)}
	var (
		care  *Care
		extra []Item
		err   error
	)
	switch a {
	case Dispatch:
		err = r.dispatch(&next, &ch, in.Request.Target)
	case Rate:
		next.Rating = uint8(in.Request.Rating)
		ch.Rating = next.Rating
	case Reopen:
		// A reopened case must be taken up again from now; its close
		// deadline stays the history's (counted from the report), so a late
		// second closing is late here too. Overdue starts over with the new
		// open period, and the close deadline fires again if it has passed.
		next.RespondBy = in.Now.Add(r.SLA.RespondLimit(&e)).UTC()
		next.CloseBy = e.ReportedAt.Add(r.SLA.CloseLimit(&e)).UTC()
		next.Overdue = false
	case Merge:
		extra, err = r.merge(&next, &ch, in)
	case Whistle:
		err = r.whistle(&next, &ch, in.Request, in.Now)
	case CheckIn:
		err = checkIn(&next, &ch, in.Request.Target, in.Now)
	case Close:
		care = r.careOnClose(&next, in)
	case FollowUpDone:
		care, err = followUpDone(in, &ch)
	}
	if err != nil {
		return Commit{}, err
	}
	next.Status = rules[a].next(e.Status)
	ch.To = next.Status
	if slices.Contains(responding, a) {
		next.RespondBy = time.Time{}
	}
	bump(&next, in.Now)
	items := append([]Item{r.itemFor(in.Current, next, ch, care)}, extra...)
	return Commit{Items: items}, nil
}

// itemFor builds the update of one event from its stored state to next:
// the deadlines its new state implies and the old did not are queued, and
// the other way round forgotten. A clock that already fired is implied by
// both and so never queued again. The event's first update (its clocks
// start now, or ingest stamped them and nothing touched it since) does not
// know whether its first deadlines are queued (the append queues them; for
// an event stored without, the timer does when it starts): all of next's
// are queued (a queued one keeps its place) and the first ones next no
// longer implies are forgotten.
func (r *Rules) itemFor(stored Loaded, next event.Event, ch event.Change, care *Care) Item {
	before := pending(&stored.Event)
	queued, first := before, stored.Event
	if r.SLA.StartClocks(&first) || untouched(&stored.Event) {
		queued, before = pending(&first), nil
	}
	after := pending(&next)
	return Item{
		Expect:     stored.Version,
		Record:     event.Record{Type: event.RecordUpdate, Event: next, Change: ch},
		Schedule:   minus(after, before),
		Unschedule: minus(queued, after),
		Care:       care,
	}
}

// untouched reports whether no workflow update has changed e since it was
// reported: every update moves UpdatedAt forward (bump). The intake script
// (redisbus workflow_intake.lua) applies the same test to the stored state.
func untouched(e *event.Event) bool { return e.UpdatedAt.Equal(e.ReportedAt) }

// bump moves UpdatedAt to now, and strictly forward even when clocks of two
// replicas disagree: the version compared on commit must change with every
// update.
func bump(e *event.Event, now time.Time) {
	t := now.UTC()
	if !t.After(e.UpdatedAt) {
		t = e.UpdatedAt.Add(time.Nanosecond)
	}
	e.UpdatedAt = t
}

// entryFor looks up a target for an event's street.
func (r *Rules) entryFor(field, id, street string) (directory.Entry, error) {
	ent, ok := r.Directory.Lookup(id)
	if !ok {
		return ent, apperr.Field(apperr.Invalid, field, "%s %q is not in the directory (GET /api/v1/directory; a grid worker by grid id)", field, id)
	}
	if !ent.Serves(street) {
		return ent, apperr.Field(apperr.Invalid, field, "%s %s (%s) serves street %s, not the event's street %s", field, id, ent.Name, ent.Street, street)
	}
	return ent, nil
}

func (r *Rules) dispatch(next *event.Event, ch *event.Change, target string) error {
	if _, err := r.entryFor("target", target, next.StreetCode); err != nil {
		return err
	}
	next.Assignee, ch.Target = target, target
	return nil
}

// whistle summons departments (吹哨): each gets a check-in with its own
// deadline, the one asked for or the department's usual on-scene time.
func (r *Rules) whistle(next *event.Event, ch *event.Change, req Request, now time.Time) error {
	next.Whistle = slices.Clone(next.Whistle)
	for _, id := range req.Departments {
		ent, err := r.entryFor("departments", id, next.StreetCode)
		if err != nil {
			return err
		}
		if ent.Kind != directory.Department {
			return apperr.Field(apperr.Invalid, "departments", "%s is a %s; a whistle summons departments", id, ent.Kind)
		}
		if slices.ContainsFunc(next.Whistle, func(c event.CheckIn) bool { return c.Department == id && c.At.IsZero() && !c.Missed }) {
			return apperr.Field(apperr.Conflict, "departments", "%s is already summoned to event %s and has not checked in yet", id, next.ID)
		}
		due := time.Duration(req.DueMinutes) * time.Minute
		if due == 0 {
			due = time.Duration(ent.OnSceneMinutes) * time.Minute
		}
		if due == 0 {
			due = defaultOnScene
		}
		next.Whistle = append(next.Whistle, event.CheckIn{Department: id, Due: now.Add(due).UTC()})
	}
	ch.Target = strings.Join(req.Departments, ",")
	return nil
}

// checkIn records a summoned department on scene. A department that missed
// its deadline may still check in late: the miss stays counted.
func checkIn(next *event.Event, ch *event.Change, dept string, now time.Time) error {
	i := slices.IndexFunc(next.Whistle, func(c event.CheckIn) bool { return c.Department == dept && c.At.IsZero() })
	if i < 0 {
		var summoned []string
		for _, c := range next.Whistle {
			if c.At.IsZero() {
				summoned = append(summoned, c.Department)
			}
		}
		return apperr.Field(apperr.Conflict, "target", "%s has no open check-in on event %s (waiting for: %s)", dept, next.ID, orNone(summoned))
	}
	next.Whistle = slices.Clone(next.Whistle)
	next.Whistle[i].At = now.UTC()
	ch.Target = dept
	return nil
}

// merge makes next (the duplicate) point at the case it joins, and updates
// that case to list it. Both keep their own sources and timelines.
func (r *Rules) merge(next *event.Event, ch *event.Change, in Input) ([]Item, error) {
	into := in.Into
	switch {
	case in.Request.Into == next.ID:
		return nil, apperr.Field(apperr.Invalid, "into", "an event cannot be merged into itself")
	case into == nil:
		return nil, apperr.Field(apperr.Invalid, "into", "event %s does not exist", in.Request.Into)
	case !into.Event.Open():
		return nil, apperr.Field(apperr.Conflict, "into", "event %s is %s; merge only into an open case", into.Event.ID, into.Event.Status)
	}
	next.MergedInto, ch.Target = into.Event.ID, into.Event.ID
	target := into.Event
	r.SLA.StartClocks(&target)
	tch := event.Change{EventID: target.ID, At: in.Now.UTC(), From: target.Status, To: target.Status,
		Actor: in.Actor, Reason: in.Request.Reason, Action: string(Absorb), Target: next.ID}
	if !slices.Contains(target.Merged, next.ID) {
		target.Merged = append(slices.Clone(target.Merged), next.ID)
	}
	bump(&target, in.Now)
	return []Item{r.itemFor(*into, target, tch, nil)}, nil
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
