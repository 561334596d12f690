// Package historytest builds log records for tests of the history: whole
// case lifecycles with known KPIs, in the shape the log and the case
// workflow write them.
package historytest

import (
	"fmt"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// Case describes one event's life for a test: reported at Reported, then
// each Step in order.
type Case struct {
	ID       string
	Kind     event.Kind
	Category string
	Severity event.Severity
	GridID   string
	Street   string
	Address  string
	Title    string // "" is "测试事件 <ID>"
	Reported time.Time
	Steps    []Step
}

// Step is one state change after the report.
type Step struct {
	After  time.Duration // since the report
	To     event.Status
	Action string
	Rating uint8
	Target string // the change's target; "" is "dept-1"
	Actor  string // the change's actor; "" is "officer-1"
}

// Lifecycle is the usual closed-and-rated life of a case: dispatched after
// 10 minutes, accepted after 30, resolved and closed after closeAfter,
// rated rating (0: not rated) an hour later.
func Lifecycle(closeAfter time.Duration, rating uint8) []Step {
	steps := []Step{
		{After: 10 * time.Minute, To: event.Dispatched, Action: "dispatch"},
		{After: 30 * time.Minute, To: event.Accepted, Action: "accept"},
		{After: closeAfter - time.Minute, To: event.Resolved, Action: "resolve"},
		{After: closeAfter, To: event.Closed, Action: "close"},
	}
	if rating > 0 {
		steps = append(steps, Step{After: closeAfter + time.Hour, To: event.Rated, Action: "rate", Rating: rating})
	}
	return steps
}

// Records returns the case's records in order: the report, then one update
// per step, each with the event's whole state after it. Seq is left 0 (the
// log assigns it).
func (c Case) Records() []event.Record {
	ev := event.Event{ID: c.ID, Kind: c.Kind, SourceID: "src-" + c.ID, Source: "test", Category: c.Category,
		Severity: c.Severity, Status: event.Reported, Title: or(c.Title, "测试事件 "+c.ID), GridID: c.GridID,
		CommunityID: c.Street + "-c1", StreetCode: c.Street, Address: c.Address, Lon: 114.65, Lat: 33.62,
		OccurredAt: c.Reported.Add(-time.Minute), ReportedAt: c.Reported, UpdatedAt: c.Reported,
		CallerName: "王某", CallerPhone: "13800000000"}
	if c.Kind == event.CameraAlert {
		ev.CameraID = "cam-1"
	}
	if c.Kind == event.Warning {
		ev.SensorID = "sensor-1"
	}
	recs := []event.Record{{Type: event.RecordEvent, Event: ev, Change: event.NewReportedChange(ev, "ingest")}}
	for _, s := range c.Steps {
		from := ev.Status
		at := c.Reported.Add(s.After)
		ev.Status, ev.UpdatedAt = s.To, at
		recs = append(recs, event.Record{Type: event.RecordUpdate, Event: ev, Change: event.Change{
			EventID: c.ID, At: at, From: from, To: s.To, Actor: or(s.Actor, "officer-1"), Action: s.Action,
			Target: or(s.Target, "dept-1"), Rating: s.Rating}})
	}
	return recs
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// Report wraps a case's first record as an ingest report for Log.Append.
func (c Case) Report() event.Report {
	return event.Report{Record: c.Records()[0], Fingerprint: "fp-" + c.ID, Day: c.Reported.Format(time.DateOnly)}
}

// Many returns n cases of kind and category in grid/street, reported one
// minute apart from start, each closed after closeAfter and rated rating.
func Many(n int, prefix string, k event.Kind, category string, start time.Time, closeAfter time.Duration, rating uint8) []Case {
	out := make([]Case, n)
	for i := range out {
		out[i] = Case{ID: fmt.Sprintf("%s-%d", prefix, i), Kind: k, Category: category, Severity: event.Medium,
			GridID: fmt.Sprintf("g-%d", i%3), Street: "s-1", Address: fmt.Sprintf("幸福小区%d号楼", i%2),
			Reported: start.Add(time.Duration(i) * time.Minute), Steps: Lifecycle(closeAfter, rating)}
	}
	return out
}
