package workflow_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

// TestDeadlinesFireOnce runs two timers on two Redis clients at once over
// many due deadlines, with a lease so short that they keep claiming the same
// deadlines again: every deadline still fires exactly once.
func TestDeadlinesFireOnce(t *testing.T) {
	env := newEnv(t)
	store2, _ := env.replica(t)
	const n = 40
	var evs []event.Event
	for i := range n {
		evs = append(evs, newEvent(fmt.Sprintf("e%d", i), event.GridEvent, "dispute", event.Critical)) // respond in 2 min
	}
	env.report(t, evs...)
	// The clock starts 3 minutes after the reports, past every respond
	// deadline, and moves 1 s at every reading: with a 1 ms lease a claim
	// has run out by the next claim, so the timers race for each deadline.
	clk := &clock{t: t0.Add(3 * time.Minute), step: time.Second}
	opts := workflow.TimerOptions{Lease: time.Millisecond, Batch: 7}
	timers := []*workflow.Timer{env.timer(env.store, opts, clk.Now), env.timer(store2, opts, clk.Now)}
	ctx := testsvc.Context(t)
	var wg sync.WaitGroup
	for _, tm := range timers {
		wg.Go(func() {
			for range 60 {
				if err := tm.Tick(ctx); err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	recs := env.records(t)
	for _, e := range evs {
		if got := changesOf(recs, e.ID); got["overdue"] != 1 || len(got) != 1 {
			t.Errorf("%s: changes %v, want exactly one overdue", e.ID, got)
		}
	}
	if n := env.rdb.ZCard(ctx, redisbus.NewKeys(env.prefix).SLADue()).Val(); n != int64(len(evs)) {
		t.Errorf("%d deadlines queued, want %d (each event's close deadline)", n, len(evs))
	}
	st, err := env.store.Get(ctx, "e0")
	if err != nil || !st.Event.Overdue || st.Event.Status != event.Reported {
		t.Fatalf("e0 = %+v, %v", st.Event, err)
	}
}

// TestUnacknowledgedAlertEscalates: a critical fight on camera nobody
// acknowledges goes to the street and the duty leader; one acknowledged in
// time does not.
func TestUnacknowledgedAlertEscalates(t *testing.T) {
	env := newEnv(t)
	ctx := testsvc.Context(t)
	env.report(t, newEvent("ignored", event.CameraAlert, "fight", event.Critical),
		newEvent("seen", event.CameraAlert, "fight", event.Critical))
	clk := &clock{t: t0.Add(time.Minute)}
	tm := env.timer(env.store, workflow.TimerOptions{}, clk.Now)
	if err := tm.Tick(ctx); err != nil { // its first tick starts the open events' clocks
		t.Fatal(err)
	}
	env.clock.Set(t0.Add(90 * time.Second))
	env.act(t, "seen", workflow.Request{Action: workflow.Acknowledge, Reason: "误报，两人在打闹"})
	clk.Set(t0.Add(2*time.Minute + time.Second))
	if err := tm.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	recs := env.records(t)
	if got := changesOf(recs, "seen"); got["escalate"] != 0 {
		t.Errorf("acknowledged alert escalated: %v", got)
	}
	var esc *event.Record
	for i := range recs {
		if recs[i].Event.ID == "ignored" && recs[i].Change.Action == "escalate" {
			esc = &recs[i]
		}
	}
	if esc == nil || esc.Event.Status != event.Escalated || esc.Change.Target != "411602001-zzzx,zhzx-duty" ||
		esc.Change.Actor != workflow.SystemActor || !esc.Event.Overdue {
		t.Fatalf("escalation record %+v", esc)
	}
	// The duty officer can now take it.
	if res := env.act(t, "ignored", workflow.Request{Action: workflow.Dispatch, Target: pcs1}); res.Event.Status != event.Dispatched {
		t.Fatalf("after escalation: %+v", res.Event)
	}
}

// TestWhistleMissedCheckIn: a street summons two departments; one is on
// scene in time, the other misses its deadline, which is recorded once and
// stays visible; it may still check in late.
func TestWhistleMissedCheckIn(t *testing.T) {
	env := newEnv(t)
	ctx := testsvc.Context(t)
	env.report(t, newEvent("w", event.GridEvent, "dispute", event.High))
	env.clock.Set(t0.Add(time.Minute))
	res := env.act(t, "w", workflow.Request{Action: workflow.Whistle, Departments: []string{pcs1, sfs1}, Reason: "持刀威胁，联合调解"})
	if len(res.Event.Whistle) != 2 || res.Event.Status != event.Escalated {
		t.Fatalf("whistle: %+v", res.Event)
	}
	env.clock.Set(t0.Add(6 * time.Minute))
	env.act(t, "w", workflow.Request{Action: workflow.CheckIn, Target: pcs1})
	clk := &clock{t: t0.Add(25 * time.Minute)} // past the judicial office's 20 minutes
	tm := env.timer(env.store, workflow.TimerOptions{}, clk.Now)
	for range 3 {
		if err := tm.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if got := changesOf(env.records(t), "w"); got["checkin_missed"] != 1 || got["overdue"] != 0 {
		t.Fatalf("changes %v, want one checkin_missed", got)
	}
	st, _ := env.store.Get(ctx, "w")
	missed := 0
	for _, c := range st.Event.Whistle {
		if c.Missed {
			missed++
			if c.Department != sfs1 {
				t.Errorf("%s marked missed", c.Department)
			}
		}
	}
	if missed != 1 || !st.Event.Overdue {
		t.Fatalf("whistle %+v overdue %v", st.Event.Whistle, st.Event.Overdue)
	}
	env.clock.Set(t0.Add(30 * time.Minute))
	late := env.act(t, "w", workflow.Request{Action: workflow.CheckIn, Target: sfs1, Reason: "迟到"})
	if c := late.Event.Whistle[1]; c.At.IsZero() || !c.Missed {
		t.Fatalf("late check-in %+v", c)
	}
}

// TestTimerRun runs the loop itself until the deadline fired and ctx ends.
func TestTimerRun(t *testing.T) {
	env := newEnv(t)
	env.report(t, newEvent("r", event.Warning, "gas", event.Medium))
	clk := &clock{t: t0.Add(time.Hour)}
	tm := env.timer(env.store, workflow.TimerOptions{Tick: time.Millisecond}, clk.Now)
	ctx, cancel := context.WithCancel(testsvc.Context(t))
	done := make(chan error)
	go func() { done <- tm.Run(ctx) }()
	deadline := time.Now().Add(30 * time.Second)
	for changesOf(env.records(t), "r")["overdue"] < 2 { // respond and close
		if time.Now().After(deadline) {
			t.Fatal("timed out waiting for the timer")
		}
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}
