package workflow_test

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/workflow"
)

func TestPolicyLimits(t *testing.T) {
	p := workflow.DefaultPolicy
	tests := []struct {
		kind           event.Kind
		cat            string
		sev            event.Severity
		respond, close time.Duration
	}{
		{event.GridEvent, "dispute", event.Critical, 2 * time.Minute, 12 * time.Hour}, // DOMAIN.md's 2 minutes
		{event.GridEvent, "dispute", event.Medium, 30 * time.Minute, 48 * time.Hour},
		{event.Hotline, "dispute", event.Critical, 5 * time.Minute, 18 * time.Hour},
		{event.Hotline, "consultation", event.Low, 6 * time.Hour, 36 * time.Hour},
		{event.Hotline, "other", event.Medium, 4 * time.Hour, 5 * 24 * time.Hour},
		{event.CameraAlert, "fight", event.Critical, 2 * time.Minute, 150 * time.Second},
		{event.CameraAlert, "crowd", event.Critical, 150 * time.Second, 450 * time.Second},
		{event.CameraAlert, "fire_smoke", event.Low, 12 * time.Minute, 15 * time.Minute},
		{event.Warning, "gas", event.High, 4 * time.Minute, 5 * time.Minute},
	}
	for _, tt := range tests {
		t.Run(string(tt.kind)+"/"+tt.cat+"/"+string(tt.sev), func(t *testing.T) {
			e := newEvent("x", tt.kind, tt.cat, tt.sev)
			if got := p.RespondLimit(&e); got != tt.respond {
				t.Errorf("respond = %v, want %v", got, tt.respond)
			}
			if got := p.CloseLimit(&e); got != tt.close || got != history.DefaultSLAs.For(tt.kind, tt.cat, tt.sev) {
				t.Errorf("close = %v, want %v (the history's)", got, tt.close)
			}
		})
	}
	t.Run("RespondNeverAfterClose", func(t *testing.T) {
		slow := workflow.Policy{Close: history.DefaultSLAs, Respond: history.SLAs{Kind: map[event.Kind]time.Duration{event.Hotline: 30 * 24 * time.Hour}}}
		e := newEvent("x", event.Hotline, "other", event.Medium)
		if got := slow.RespondLimit(&e); got != slow.CloseLimit(&e) {
			t.Errorf("respond %v > close %v", got, slow.CloseLimit(&e))
		}
	})
}

func TestFire(t *testing.T) {
	rules := testRules(t)
	started := func(e event.Event) event.Event {
		e.RespondBy = e.ReportedAt.Add(rules.SLA.RespondLimit(&e))
		e.CloseBy = e.ReportedAt.Add(rules.SLA.CloseLimit(&e))
		return e
	}
	dispute := newEvent("d", event.GridEvent, "dispute", event.Critical) // clocks not started yet
	fight := newEvent("f", event.CameraAlert, "fight", event.Critical)
	whistled := started(newEvent("w", event.Hotline, "dispute", event.High))
	whistled.Status = event.Escalated
	whistled.Whistle = []event.CheckIn{{Department: pcs1, Due: t0.Add(10 * time.Minute)}, {Department: sfs1, Due: t0.Add(20 * time.Minute), At: t0.Add(5 * time.Minute)}}
	dispatchedFight := started(fight)
	dispatchedFight.Status, dispatchedFight.RespondBy = event.Dispatched, time.Time{}
	gas := newEvent("g", event.Warning, "gas", event.Critical)
	gasWhistled := started(gas)
	gasWhistled.Status = event.Escalated
	tests := []struct {
		name       string
		e          event.Event
		d          workflow.Deadline
		wantOK     bool
		wantAction workflow.Action
		wantTo     event.Status
		wantTarget string
	}{
		{"Overdue_respondBeforeAnyAction", dispute, workflow.Deadline{EventID: "d", Kind: workflow.DueRespond, Due: t0.Add(2 * time.Minute)},
			true, workflow.Overdue, event.Reported, ""},
		{"Escalate_unacknowledgedCriticalFight", fight, workflow.Deadline{EventID: "f", Kind: workflow.DueRespond, Due: t0.Add(2 * time.Minute)},
			true, workflow.Escalate, event.Escalated, "411602001-zzzx,zhzx-duty"},
		{"Escalate_unacknowledgedCriticalGas", gas, workflow.Deadline{EventID: "g", Kind: workflow.DueRespond, Due: t0.Add(2 * time.Minute)},
			true, workflow.Escalate, event.Escalated, "411602001-zzzx,zhzx-duty"},
		{"Overdue_criticalAlertAlreadyEscalated", gasWhistled, workflow.Deadline{EventID: "g", Kind: workflow.DueRespond, Due: t0.Add(2 * time.Minute)},
			true, workflow.Overdue, event.Escalated, ""},
		{"Skip_respondedAlready", dispatchedFight, workflow.Deadline{EventID: "f", Kind: workflow.DueRespond, Due: t0.Add(2 * time.Minute)},
			false, "", "", ""},
		{"Skip_clockSetAnew", dispute, workflow.Deadline{EventID: "d", Kind: workflow.DueRespond, Due: t0.Add(time.Minute)},
			false, "", "", ""},
		{"Overdue_close", whistled, workflow.Deadline{EventID: "w", Kind: workflow.DueClose, Due: whistled.CloseBy},
			true, workflow.Overdue, event.Escalated, ""},
		{"Skip_closeOfClosed", closed(dispute), workflow.Deadline{EventID: "d", Kind: workflow.DueClose, Due: t0.Add(72 * time.Hour)},
			false, "", "", ""},
		{"Missed_checkIn", whistled, workflow.Deadline{EventID: "w", Kind: workflow.DueCheckIn, Due: t0.Add(10 * time.Minute), Department: pcs1},
			true, workflow.CheckInMissed, event.Escalated, pcs1},
		{"Skip_checkedIn", whistled, workflow.Deadline{EventID: "w", Kind: workflow.DueCheckIn, Due: t0.Add(20 * time.Minute), Department: sfs1},
			false, "", "", ""},
		{"Skip_otherEvent", whistled, workflow.Deadline{EventID: "x", Kind: workflow.DueClose, Due: whistled.CloseBy},
			false, "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			now := tt.d.Due.Add(time.Second)
			c, ok := rules.Fire(loaded(tt.e), tt.d, now)
			if ok != tt.wantOK {
				t.Fatalf("ok = %v, want %v", ok, tt.wantOK)
			}
			if !ok {
				return
			}
			rec := c.Items[0].Record
			if rec.Change.Action != string(tt.wantAction) || rec.Change.To != tt.wantTo || rec.Event.Status != tt.wantTo ||
				rec.Change.Target != tt.wantTarget || rec.Change.Actor != workflow.SystemActor || !rec.Event.Overdue {
				t.Fatalf("change %+v, event status %s overdue %v", rec.Change, rec.Event.Status, rec.Event.Overdue)
			}
			if c.Fire == nil || c.Fire.Member() != tt.d.Member() {
				t.Fatalf("Fire = %v, want %s", c.Fire, tt.d.Member())
			}
			for _, s := range c.Items[0].Schedule {
				if s.Member() == tt.d.Member() {
					t.Fatal("the fired deadline is queued again")
				}
			}
			if tt.wantAction == workflow.CheckInMissed && !rec.Event.Whistle[0].Missed {
				t.Fatal("check-in not marked missed")
			}
		})
	}
}

func TestParseDeadline(t *testing.T) {
	for _, d := range []workflow.Deadline{
		{EventID: "a-1", Kind: workflow.DueRespond, Due: t0},
		{EventID: "a-1", Kind: workflow.DueCheckIn, Due: t0.Add(time.Millisecond), Department: pcs1},
	} {
		got, err := workflow.ParseDeadline(d.Member())
		if err != nil || !got.Due.Equal(d.Due) || got.EventID != d.EventID || got.Kind != d.Kind || got.Department != d.Department {
			t.Errorf("ParseDeadline(%s) = %+v, %v", d.Member(), got, err)
		}
	}
	for _, bad := range []string{"", "a", "a|respond", "a|respond|x", "a|nap|1", "a|checkin|1", "a|close|1|d", "|close|1", "a|close|1|b|c"} {
		if _, err := workflow.ParseDeadline(bad); err == nil {
			t.Errorf("ParseDeadline(%q) accepted", bad)
		}
	}
}
