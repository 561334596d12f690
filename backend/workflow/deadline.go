package workflow

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// DeadlineKind says which clock a deadline belongs to.
type DeadlineKind string

// The deadline kinds.
const (
	DueRespond DeadlineKind = "respond" // Event.RespondBy: overdue, or escalation of a critical alert
	DueClose   DeadlineKind = "close"   // Event.CloseBy: overdue
	DueCheckIn DeadlineKind = "checkin" // a whistle's CheckIn.Due: missed
)

// Deadline is one pending SLA deadline of one event. Its Member string is
// unique per event, clock and due time (to the millisecond), so a deadline
// that fired is never queued again unless the event's state sets that clock
// anew (a reopen): that is what lets each deadline fire once.
type Deadline struct {
	EventID    string
	Kind       DeadlineKind
	Due        time.Time
	Department string // DueCheckIn: the summoned department
}

// Member encodes d as "<event>|<kind>|<due unix ms>[|<department>]".
// Event and department ids never contain '|'.
func (d Deadline) Member() string {
	m := d.EventID + "|" + string(d.Kind) + "|" + strconv.FormatInt(d.Due.UnixMilli(), 10)
	if d.Department != "" {
		m += "|" + d.Department
	}
	return m
}

// ParseDeadline decodes a Member.
func ParseDeadline(member string) (Deadline, error) {
	parts := strings.Split(member, "|")
	if len(parts) < 3 || len(parts) > 4 || parts[0] == "" {
		return Deadline{}, fmt.Errorf("workflow: bad deadline %q", member)
	}
	ms, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return Deadline{}, fmt.Errorf("workflow: bad deadline %q: %w", member, err)
	}
	d := Deadline{EventID: parts[0], Kind: DeadlineKind(parts[1]), Due: time.UnixMilli(ms).UTC()}
	if len(parts) == 4 {
		d.Department = parts[3]
	}
	switch {
	case d.Kind != DueRespond && d.Kind != DueClose && d.Kind != DueCheckIn:
		return Deadline{}, fmt.Errorf("workflow: bad deadline kind in %q", member)
	case (d.Kind == DueCheckIn) != (d.Department != ""):
		return Deadline{}, fmt.Errorf("workflow: bad deadline %q", member)
	}
	return d, nil
}

// sameMilli compares times the way members do.
func sameMilli(a, b time.Time) bool { return a.UnixMilli() == b.UnixMilli() }

// pending lists the deadlines e's state implies: none once it is done or
// before its clocks started; else the close deadline, the respond deadline
// until someone responded, and every check-in neither made nor missed.
func pending(e *event.Event) []Deadline {
	if !e.Open() || e.CloseBy.IsZero() {
		return nil
	}
	ds := []Deadline{{EventID: e.ID, Kind: DueClose, Due: e.CloseBy}}
	if !e.RespondBy.IsZero() {
		ds = append(ds, Deadline{EventID: e.ID, Kind: DueRespond, Due: e.RespondBy})
	}
	for _, c := range e.Whistle {
		if c.At.IsZero() && !c.Missed {
			ds = append(ds, Deadline{EventID: e.ID, Kind: DueCheckIn, Due: c.Due, Department: c.Department})
		}
	}
	return ds
}

// minus returns the deadlines of a that are not in b.
func minus(a, b []Deadline) []Deadline {
	var out []Deadline
	for _, d := range a {
		if !slices.ContainsFunc(b, func(x Deadline) bool { return x.Member() == d.Member() }) {
			out = append(out, d)
		}
	}
	return out
}
