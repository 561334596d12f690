package workflow_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

func decide(t *testing.T, e event.Event, req workflow.Request) (workflow.Commit, error) {
	t.Helper()
	return testRules(t).Decide(workflow.Input{Current: loaded(e), Request: req, Actor: "officer", Now: t0.Add(time.Minute)})
}

func members(ds []workflow.Deadline) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Member())
	}
	slices.Sort(out)
	return out
}

func TestDecideData(t *testing.T) {
	hotline := newEvent("h", event.Hotline, "dispute", event.Medium)
	whistled := hotline
	whistled.Status = event.Escalated
	whistled.Whistle = []event.CheckIn{{Department: pcs1, Due: t0.Add(10 * time.Minute)}}
	whistled.CloseBy = t0.Add(72 * time.Hour)
	tests := []struct {
		name      string
		e         event.Event
		req       workflow.Request
		wantCode  apperr.Code
		wantField string
		check     func(t *testing.T, c workflow.Commit)
	}{
		{"OK_dispatchToDepartment", hotline, workflow.Request{Action: workflow.Dispatch, Target: pcs1}, "", "",
			func(t *testing.T, c workflow.Commit) {
				e, ch := c.Items[0].Record.Event, c.Items[0].Record.Change
				if e.Assignee != pcs1 || ch.Target != pcs1 || !e.RespondBy.IsZero() || e.CloseBy.IsZero() {
					t.Fatalf("event %+v change %+v", e, ch)
				}
			}},
		{"OK_dispatchToTeam", hotline, workflow.Request{Action: workflow.Dispatch, Target: team1}, "", "", nil},
		{"OK_dispatchToGridWorker", hotline, workflow.Request{Action: workflow.Dispatch, Target: grid1}, "", "", nil},
		{"OK_dispatchDistrictWide", hotline, workflow.Request{Action: workflow.Dispatch, Target: "sfj"}, "", "", nil},
		{"ErrDispatchUnknown", hotline, workflow.Request{Action: workflow.Dispatch, Target: "nobody"}, apperr.Invalid, "target", nil},
		{"ErrDispatchOtherStreet", hotline, workflow.Request{Action: workflow.Dispatch, Target: pcs2}, apperr.Invalid, "target", nil},
		{"OK_whistleOwnDeadlines", hotline, workflow.Request{Action: workflow.Whistle, Departments: []string{pcs1, sfs1, "xfjy"}, Reason: "x"}, "", "",
			func(t *testing.T, c workflow.Commit) {
				w := c.Items[0].Record.Event.Whistle
				now := t0.Add(time.Minute)
				want := []time.Time{now.Add(10 * time.Minute), now.Add(20 * time.Minute), now.Add(30 * time.Minute)}
				for i := range want {
					if !w[i].Due.Equal(want[i]) {
						t.Errorf("check-in %d due %v, want %v", i, w[i].Due, want[i])
					}
				}
				if ch := c.Items[0].Record.Change; ch.Target != pcs1+","+sfs1+",xfjy" || ch.To != event.Escalated {
					t.Errorf("change %+v", ch)
				}
			}},
		{"OK_whistleDueMinutes", hotline, workflow.Request{Action: workflow.Whistle, Departments: []string{pcs1}, DueMinutes: 5, Reason: "x"}, "", "",
			func(t *testing.T, c workflow.Commit) {
				if w := c.Items[0].Record.Event.Whistle; !w[0].Due.Equal(t0.Add(6 * time.Minute)) {
					t.Errorf("due %v", w[0].Due)
				}
			}},
		{"ErrWhistleTeam", hotline, workflow.Request{Action: workflow.Whistle, Departments: []string{team1}, Reason: "x"}, apperr.Invalid, "departments", nil},
		{"ErrWhistleOtherStreet", hotline, workflow.Request{Action: workflow.Whistle, Departments: []string{pcs2}, Reason: "x"}, apperr.Invalid, "departments", nil},
		{"ErrWhistleAlreadyPending", whistled, workflow.Request{Action: workflow.Whistle, Departments: []string{pcs1}, Reason: "x"}, apperr.Conflict, "departments", nil},
		{"OK_checkIn", whistled, workflow.Request{Action: workflow.CheckIn, Target: pcs1}, "", "",
			func(t *testing.T, c workflow.Commit) {
				if w := c.Items[0].Record.Event.Whistle; !w[0].At.Equal(t0.Add(time.Minute)) {
					t.Errorf("check-in %+v", w[0])
				}
				if got := members(c.Items[0].Unschedule); !slices.Contains(got, "h|checkin|"+ms(t0.Add(10*time.Minute))+"|"+pcs1) {
					t.Errorf("unscheduled %v", got)
				}
			}},
		{"ErrCheckInNotSummoned", whistled, workflow.Request{Action: workflow.CheckIn, Target: sfs1}, apperr.Conflict, "target", nil},
		{"OK_rate", closed(hotline), workflow.Request{Action: workflow.Rate, Rating: 2, Reason: "慢"}, "", "",
			func(t *testing.T, c workflow.Commit) {
				if e, ch := c.Items[0].Record.Event, c.Items[0].Record.Change; e.Rating != 2 || ch.Rating != 2 || ch.Reason != "慢" {
					t.Errorf("event %+v change %+v", e, ch)
				}
			}},
		{"ErrMergeIntoItself", hotline, workflow.Request{Action: workflow.Merge, Into: "h"}, apperr.Invalid, "into", nil},
		{"ErrMergeIntoUnknown", hotline, workflow.Request{Action: workflow.Merge, Into: "nope"}, apperr.Invalid, "into", nil},
		{"ErrFollowUpNoCare", closed(hotline), workflow.Request{Action: workflow.FollowUpDone, Target: "h-fu1"}, apperr.Invalid, "target", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := decide(t, tt.e, tt.req)
			if tt.wantCode != "" {
				if ae := wantCode(t, err, tt.wantCode); ae.Field != tt.wantField {
					t.Fatalf("field %q, want %q: %v", ae.Field, tt.wantField, err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if e := c.Items[0].Record.Event; !e.UpdatedAt.After(tt.e.UpdatedAt) {
				t.Errorf("updated_at did not move: %v", e.UpdatedAt)
			}
			if tt.check != nil {
				tt.check(t, c)
			}
		})
	}
}

func closed(e event.Event) event.Event {
	e.Status = event.Closed
	e.RespondBy, e.CloseBy = time.Time{}, e.ReportedAt.Add(72*time.Hour)
	return e
}

func ms(t time.Time) string { return (workflow.Deadline{Due: t}).Member()[len("||"):] }

func TestDecideMerge(t *testing.T) {
	src := newEvent("src", event.CameraAlert, "fight", event.High)
	into := loaded(newEvent("into", event.Hotline, "dispute", event.High))
	into.Event.Merged = []string{"earlier"}
	c, err := testRules(t).Decide(workflow.Input{Current: loaded(src), Into: &into, Actor: "officer", Now: t0,
		Request: workflow.Request{Action: workflow.Merge, Into: "into", Reason: "同一起纠纷"}})
	if err != nil {
		t.Fatal(err)
	}
	s, tg := c.Items[0].Record, c.Items[1].Record
	if s.Event.Status != event.Merged || s.Event.MergedInto != "into" || s.Change.Target != "into" {
		t.Errorf("source %+v / %+v", s.Event, s.Change)
	}
	if !slices.Equal(tg.Event.Merged, []string{"earlier", "src"}) || tg.Change.Action != string(workflow.Absorb) ||
		tg.Change.Target != "src" || tg.Change.From != event.Reported || tg.Change.To != event.Reported {
		t.Errorf("target %+v / %+v", tg.Event, tg.Change)
	}
	if len(into.Event.Merged) != 1 {
		t.Error("Decide changed its input")
	}
	if c.Items[1].Expect != into.Version || len(c.Items[1].Schedule) == 0 {
		t.Errorf("target item %+v: want its version and its first deadlines", c.Items[1])
	}
	closedInto := loaded(closed(newEvent("into", event.Hotline, "dispute", event.High)))
	_, err = testRules(t).Decide(workflow.Input{Current: loaded(src), Into: &closedInto, Actor: "o", Now: t0,
		Request: workflow.Request{Action: workflow.Merge, Into: "into"}})
	if ae := wantCode(t, err, apperr.Conflict); ae.Field != "into" {
		t.Errorf("field %q", ae.Field)
	}
}

// TestDecideDeadlines follows which deadlines an event's updates queue and
// forget.
func TestDecideDeadlines(t *testing.T) {
	rules := testRules(t)
	e := newEvent("d", event.GridEvent, "dispute", event.Critical)
	respond, closeBy := t0.Add(2*time.Minute), t0.Add(12*time.Hour)
	step := func(e event.Event, req workflow.Request, at time.Time) (event.Event, workflow.Item) {
		t.Helper()
		c, err := rules.Decide(workflow.Input{Current: loaded(e), Request: req, Actor: "o", Now: at})
		if err != nil {
			t.Fatal(err)
		}
		return c.Items[0].Record.Event, c.Items[0]
	}
	// The first action starts the clocks: both deadlines are queued (the
	// comment does not respond).
	e, it := step(e, workflow.Request{Action: workflow.Comment, Reason: "x"}, t0.Add(time.Minute))
	if !e.RespondBy.Equal(respond) || !e.CloseBy.Equal(closeBy) {
		t.Fatalf("clocks %v %v, want %v %v", e.RespondBy, e.CloseBy, respond, closeBy)
	}
	want := []string{"d|close|" + ms(closeBy), "d|respond|" + ms(respond)}
	if got := members(it.Schedule); !slices.Equal(got, want) || len(it.Unschedule) != 0 {
		t.Fatalf("schedule %v unschedule %v, want %v", got, members(it.Unschedule), want)
	}
	// Had the first action responded, the first respond deadline (which
	// the timer may have queued) would be forgotten at once.
	if _, it := step(newEvent("d", event.GridEvent, "dispute", event.Critical), workflow.Request{Action: workflow.Dispatch, Target: grid1}, t0); !slices.Equal(members(it.Unschedule), want[1:]) {
		t.Fatalf("first action dispatch: unschedule %v, want %v", members(it.Unschedule), want[1:])
	}
	// Ingest stamps the clocks, so a stored event has them before any
	// action; its first action still queues what its state implies (the
	// timer may not have queued the first deadlines yet).
	stamped := newEvent("d", event.GridEvent, "dispute", event.Critical)
	rules.SLA.StartClocks(&stamped)
	if _, it := step(stamped, workflow.Request{Action: workflow.Dispatch, Target: grid1}, t0); !slices.Equal(members(it.Schedule), want[:1]) || !slices.Equal(members(it.Unschedule), want[1:]) {
		t.Fatalf("first action dispatch on a stamped event: schedule %v unschedule %v, want %v and %v",
			members(it.Schedule), members(it.Unschedule), want[:1], want[1:])
	}
	// Another comment: nothing new.
	e, it = step(e, workflow.Request{Action: workflow.Comment, Reason: "y"}, t0.Add(90*time.Second))
	if len(it.Schedule)+len(it.Unschedule) != 0 {
		t.Fatalf("a comment changed deadlines: %+v", it)
	}
	// Dispatch responds: the respond deadline goes.
	e, it = step(e, workflow.Request{Action: workflow.Dispatch, Target: grid1}, t0.Add(100*time.Second))
	if got := members(it.Unschedule); !slices.Equal(got, want[1:]) || len(it.Schedule) != 0 {
		t.Fatalf("dispatch: unschedule %v schedule %v", got, members(it.Schedule))
	}
	// Accept, start, resolve, close: the close deadline goes at the close.
	for _, a := range []workflow.Request{{Action: workflow.Accept}, {Action: workflow.Start}, {Action: workflow.Resolve, Reason: "调解成功"}} {
		e, _ = step(e, a, t0.Add(time.Hour))
	}
	e, it = step(e, workflow.Request{Action: workflow.Close}, t0.Add(2*time.Hour))
	if got := members(it.Unschedule); !slices.Equal(got, want[:1]) {
		t.Fatalf("close: unschedule %v", got)
	}
	// Reopen: a new respond deadline from now, the close deadline of the report.
	reopenAt := t0.Add(3 * time.Hour)
	e, it = step(e, workflow.Request{Action: workflow.Reopen, Reason: "又吵起来了"}, reopenAt)
	want = []string{"d|close|" + ms(closeBy), "d|respond|" + ms(reopenAt.Add(2*time.Minute))}
	if got := members(it.Schedule); !slices.Equal(got, want) || e.Overdue {
		t.Fatalf("reopen: schedule %v, overdue %v; want %v", got, e.Overdue, want)
	}
}
