package workflow

import (
	"fmt"
	"slices"
	"time"

	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/event"
)

// SystemActor is the actor of the changes the SLA timer makes.
const SystemActor = "gridcc:sla"

// Fire decides what a due deadline does to an event. It returns ok false
// when the deadline no longer applies (the event is done, someone
// responded, the clock was set anew, the department checked in): the caller
// drops it. Otherwise the commit marks the event overdue and, by the kind of
// deadline:
//
//   - respond: an `overdue` change; for a critical camera alert or warning
//     nobody acknowledged or dispatched, an `escalate` change to state
//     escalated whose Target names the street's governance center and the
//     duty leader;
//   - close: an `overdue` change;
//   - checkin: a `checkin_missed` change naming the department, whose
//     check-in is marked Missed (it may still check in late).
//
// The commit carries the deadline in Fire, so the store writes it only if
// the deadline is still queued: that is what makes it fire once.
func (r *Rules) Fire(cur Loaded, d Deadline, now time.Time) (Commit, bool) {
	e := cur.Event
	r.SLA.StartClocks(&e)
	if !e.Open() || e.ID != d.EventID {
		return Commit{}, false
	}
	next := e
	ch := event.Change{EventID: e.ID, At: now.UTC(), From: e.Status, To: e.Status, Actor: SystemActor}
	switch d.Kind {
	case DueRespond:
		if e.RespondBy.IsZero() || !sameMilli(e.RespondBy, d.Due) {
			return Commit{}, false
		}
		limit := r.SLA.RespondLimit(&e).Round(time.Second)
		if escalates(&e) {
			next.Status, ch.To = event.Escalated, event.Escalated
			ch.Action = string(Escalate)
			ch.Target = directory.StreetCenter(e.StreetCode) + "," + directory.DutyLeader
			ch.Reason = fmt.Sprintf("critical %s not acknowledged within %v: escalated to the street and the duty leader", e.Kind, limit)
		} else {
			ch.Action = string(Overdue)
			ch.Reason = fmt.Sprintf("respond deadline passed: nobody responded within %v", limit)
		}
	case DueClose:
		if !sameMilli(e.CloseBy, d.Due) {
			return Commit{}, false
		}
		ch.Action = string(Overdue)
		ch.Reason = fmt.Sprintf("close deadline passed: not closed within %v of the report", r.SLA.CloseLimit(&e).Round(time.Second))
	case DueCheckIn:
		i := slices.IndexFunc(e.Whistle, func(c event.CheckIn) bool {
			return c.Department == d.Department && sameMilli(c.Due, d.Due) && c.At.IsZero() && !c.Missed
		})
		if i < 0 {
			return Commit{}, false
		}
		next.Whistle = slices.Clone(e.Whistle)
		next.Whistle[i].Missed = true
		ch.Action, ch.Target = string(CheckInMissed), d.Department
		ch.Reason = "summoned department not on scene by its deadline"
	default:
		return Commit{}, false
	}
	next.Overdue = true
	bump(&next, now)
	it := r.itemFor(cur, next, ch, nil)
	// The fired deadline is still implied by the state (its clock stays
	// set); when this is the event's first update it would look new.
	it.Schedule = minus(it.Schedule, []Deadline{d})
	return Commit{Items: []Item{it}, Fire: &d}, true
}

// escalates reports whether a missed respond deadline escalates e: a
// critical camera alert or warning that nobody has acknowledged or taken.
func escalates(e *event.Event) bool {
	return slices.Contains(alertKinds, e.Kind) && e.Severity == event.Critical &&
		(e.Status == event.Reported || e.Status == event.Reopened)
}

// Intake starts a new event's case: it stamps the SLA clocks into e unless
// they started already (at ingest, so its very first message carries them)
// and returns what to store with it: the first deadlines to queue (none for
// an event that is done) and whether it is a dispute of its grid.
func (r *Rules) Intake(e *event.Event) event.Intake {
	r.SLA.StartClocks(e)
	var in event.Intake
	for _, d := range pending(e) {
		in.Deadlines = append(in.Deadlines, event.Timed{Member: d.Member(), Due: d.Due})
	}
	in.Dispute = IsDispute(e) && e.GridID != ""
	return in
}
