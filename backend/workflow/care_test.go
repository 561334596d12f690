package workflow_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

func TestCareOnClose(t *testing.T) {
	resolved := func(k event.Kind, cat string) event.Event {
		e := newEvent("e", k, cat, event.High)
		e.Status, e.CloseBy = event.Resolved, t0.Add(24*time.Hour)
		return e
	}
	pending := &workflow.Care{EventID: "e", FollowUps: []workflow.FollowUp{{ID: "e-fu1", Due: t0}}}
	finished := &workflow.Care{EventID: "e", FollowUps: []workflow.FollowUp{{ID: "e-fu1", Due: t0, DoneAt: t0}}}
	tests := []struct {
		name     string
		e        event.Event
		disputes []string
		care     *workflow.Care
		want     int // follow-ups in the new care; -1 none created
	}{
		{"Care_twoOthers", resolved(event.GridEvent, "dispute"), []string{"a", "b", "e"}, nil, 7},
		{"Care_hotlineDispute", resolved(event.Hotline, "dispute"), []string{"a", "b"}, nil, 7},
		{"Care_cameraFight", resolved(event.CameraAlert, "fight"), []string{"a", "b"}, nil, 7},
		{"Care_afterFinishedRound", resolved(event.GridEvent, "dispute"), []string{"a", "b"}, finished, 8},
		{"None_oneOther", resolved(event.GridEvent, "dispute"), []string{"a", "e"}, nil, -1},
		{"None_notDispute", resolved(event.GridEvent, "environment"), []string{"a", "b", "c"}, nil, -1},
		{"None_stillPending", resolved(event.GridEvent, "dispute"), []string{"a", "b"}, pending, -1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := t0.Add(3 * time.Hour)
			c, err := testRules(t).Decide(workflow.Input{Current: loaded(tt.e), Care: tt.care, Disputes: tt.disputes,
				Request: workflow.Request{Action: workflow.Close}, Actor: "officer", Now: now})
			if err != nil {
				t.Fatal(err)
			}
			care := c.Items[0].Care
			if tt.want < 0 {
				if care != nil {
					t.Fatalf("care created: %+v", care)
				}
				return
			}
			if care == nil || len(care.FollowUps) != tt.want || care.Pending() != 7 || care.Worker != grid1 {
				t.Fatalf("care %+v, want %d follow-ups, 7 pending", care, tt.want)
			}
			last := care.FollowUps[len(care.FollowUps)-1]
			if next, _ := care.NextDue(); !next.Equal(now.Add(24*time.Hour)) || !last.Due.Equal(now.Add(7*24*time.Hour)) || last.ID != "e-fu"+strconv.Itoa(tt.want) {
				t.Errorf("next due %v, last %+v", next, last)
			}
		})
	}
}

func TestFollowUpDone(t *testing.T) {
	e := closed(newEvent("e", event.GridEvent, "dispute", event.High))
	care := &workflow.Care{EventID: "e", FollowUps: []workflow.FollowUp{{ID: "e-fu1", Due: t0}, {ID: "e-fu2", Due: t0, DoneAt: t0, DoneBy: "w"}}}
	act := func(target string) (workflow.Commit, error) {
		return testRules(t).Decide(workflow.Input{Current: loaded(e), Care: care, Actor: "grid-worker", Now: t0.Add(time.Hour),
			Request: workflow.Request{Action: workflow.FollowUpDone, Target: target, Reason: "双方情绪稳定"}})
	}
	c, err := act("e-fu1")
	if err != nil {
		t.Fatal(err)
	}
	got := c.Items[0].Care
	if f := got.FollowUps[0]; f.DoneBy != "grid-worker" || f.Note != "双方情绪稳定" || f.DoneAt.IsZero() || got.Pending() != 0 {
		t.Errorf("care %+v", got)
	}
	if !care.FollowUps[0].DoneAt.IsZero() {
		t.Error("Decide changed its input")
	}
	if ch := c.Items[0].Record.Change; ch.Target != "e-fu1" || ch.From != event.Closed || ch.To != event.Closed {
		t.Errorf("change %+v", ch)
	}
	_, err = act("e-fu2")
	wantCode(t, err, apperr.Conflict)
	_, err = act("e-fu9")
	wantCode(t, err, apperr.Invalid)
}
