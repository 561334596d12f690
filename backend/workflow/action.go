package workflow

import (
	"slices"
	"strings"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

// Action is a workflow action, stored as Change.Action.
type Action string

// The actions people take through POST /api/v1/events/{id}/actions.
const (
	Dispatch     Action = "dispatch"      // send to a department, volunteer team or grid worker
	Accept       Action = "accept"        // the assignee takes it on
	Start        Action = "start"         // the assignee is on scene / at work
	Resolve      Action = "resolve"       // the problem is solved (reason says how)
	Close        Action = "close"         // the center confirms and closes the case
	Rate         Action = "rate"          // the citizen rates the result, 1–5
	Reopen       Action = "reopen"        // not solved after all
	Comment      Action = "comment"       // a note; the state stays
	Acknowledge  Action = "acknowledge"   // a camera alert or warning was seen and needs nothing more
	Merge        Action = "merge"         // a duplicate joins another open case
	Whistle      Action = "whistle"       // 吹哨: summon several departments to the scene
	CheckIn      Action = "checkin"       // 报到: a summoned department is on scene
	FollowUpDone Action = "followup_done" // the grid worker did a long-term-care check-in
)

// The actions only gridcc records; a request naming one is refused.
const (
	Absorb        Action = "absorb"         // on the case another event was merged into
	Overdue       Action = "overdue"        // a respond or close deadline passed
	Escalate      Action = "escalate"       // an unacknowledged critical alert went up
	CheckInMissed Action = "checkin_missed" // a summoned department missed its deadline
)

// Actions lists the request actions in documentation order, which is also
// the order of the allowed actions in a 409.
var Actions = []Action{Dispatch, Accept, Start, Resolve, Close, Rate, Reopen, Comment,
	Acknowledge, Merge, Whistle, CheckIn, FollowUpDone}

// rule is one row of the transition table: the states an action may be taken
// in, the state it moves the event to ("" keeps it), and the kinds it is for
// (nil: every kind).
type rule struct {
	from  []event.Status
	to    event.Status
	kinds []event.Kind
}

var (
	openStates = []event.Status{event.Reported, event.Dispatched, event.Accepted, event.InProgress,
		event.Resolved, event.Escalated, event.Reopened}
	alertKinds   = []event.Kind{event.CameraAlert, event.Warning}
	citizenKinds = []event.Kind{event.GridEvent, event.Hotline} // a resident asked: someone can rate
)

// rules is the transition table (docs/workflow.md shows it; a test keeps the
// two equal).
var rules = map[Action]rule{
	Dispatch:     {from: []event.Status{event.Reported, event.Dispatched, event.Accepted, event.Escalated, event.Reopened}, to: event.Dispatched},
	Accept:       {from: []event.Status{event.Dispatched}, to: event.Accepted},
	Start:        {from: []event.Status{event.Accepted}, to: event.InProgress},
	Resolve:      {from: []event.Status{event.InProgress, event.Escalated}, to: event.Resolved},
	Close:        {from: []event.Status{event.Resolved}, to: event.Closed},
	Rate:         {from: []event.Status{event.Closed}, to: event.Rated, kinds: citizenKinds},
	Reopen:       {from: []event.Status{event.Resolved, event.Closed, event.Rated, event.Acknowledged}, to: event.Reopened},
	Comment:      {from: event.Statuses},
	Acknowledge:  {from: []event.Status{event.Reported, event.Escalated, event.Reopened}, to: event.Acknowledged, kinds: alertKinds},
	Merge:        {from: openStates, to: event.Merged},
	Whistle:      {from: []event.Status{event.Reported, event.Dispatched, event.Accepted, event.InProgress, event.Escalated, event.Reopened}, to: event.Escalated},
	CheckIn:      {from: openStates},
	FollowUpDone: {from: []event.Status{event.Closed, event.Rated}},
}

// responding are the actions that answer the respond deadline: someone took
// the case (dispatch, acknowledge), is on scene (checkin) or got further.
var responding = []Action{Dispatch, Accept, Start, Resolve, Close, Acknowledge, CheckIn}

// allows reports whether the table lets a be taken on an event of kind k in
// state s.
func (r rule) allows(k event.Kind, s event.Status) bool {
	return slices.Contains(r.from, s) && (r.kinds == nil || slices.Contains(r.kinds, k))
}

// next is the state after the action.
func (r rule) next(s event.Status) event.Status {
	if r.to == "" {
		return s
	}
	return r.to
}

// Allowed returns the actions the table allows on e now, in Actions order.
// Data preconditions (a pending check-in, a follow-up) are not looked at.
func Allowed(e *event.Event) []Action {
	var out []Action
	for _, a := range Actions {
		if rules[a].allows(e.Kind, e.Status) {
			out = append(out, a)
		}
	}
	return out
}

// checkAllowed returns a Conflict naming the state and the allowed actions
// when the table does not allow a on e.
func checkAllowed(e *event.Event, a Action) error {
	if rules[a].allows(e.Kind, e.Status) {
		return nil
	}
	allowed := Allowed(e)
	names := make([]string, len(allowed))
	for i, x := range allowed {
		names[i] = string(x)
	}
	list := strings.Join(names, ", ")
	if list == "" {
		list = "none"
	}
	return apperr.New(apperr.Conflict, "cannot %s event %s: it is %s (a %s); allowed actions: %s",
		a, e.ID, e.Status, e.Kind, list)
}
