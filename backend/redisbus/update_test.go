package redisbus_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

func mustCases(t *testing.T) (*redisbus.Log, *redisbus.CaseStore, *workflow.Service) {
	t.Helper()
	dir, err := directory.Parse([]byte(`[{"id":"zhzx-duty","name":"带班领导","kind":"department"},
		{"id":"411602001-zzzx","name":"综治中心","kind":"department","street":"411602001"},
		{"id":"411602001-pcs","name":"派出所","kind":"department","street":"411602001"}]`), nil, []string{"411602001"})
	if err != nil {
		t.Fatal(err)
	}
	log := mustLog(t)
	store := redisbus.NewCaseStore(log, redisbus.CaseOptions{})
	rules := &workflow.Rules{Directory: dir, SLA: workflow.DefaultPolicy, Care: workflow.DefaultCare}
	return log, store, workflow.NewService(rules, store, store)
}

type fullSink struct {
	recordingSink
	recs []event.Record
}

func (s *fullSink) Apply(r event.Record) {
	s.recordingSink.Apply(r)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.recs = append(s.recs, r)
}

// runFollower follows log into sink until the test ends.
func runFollower(t *testing.T, log *redisbus.Log, sink *fullSink) {
	t.Helper()
	f := redisbus.NewFollower(log, sink, func() string { return "2026-11-25" }, prometheus.NewRegistry())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = f.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "initial state", func() bool { n, _, _ := sink.snapshot(); return n > 0 })
}

// TestUpdatesReachFollowerInOrder: workflow updates interleaved with new
// reports arrive at a replica's follower contiguously, in log order, each
// with the event's whole state after it.
func TestUpdatesReachFollowerInOrder(t *testing.T) {
	log, _, svc := mustCases(t)
	sink := &fullSink{}
	runFollower(t, log, sink)
	ctx := testsvc.Context(t)
	allow := func(*event.Event, string) error { return nil }
	steps := []workflow.Request{
		{Action: workflow.Dispatch, Target: "411602001-pcs"}, {Action: workflow.Accept}, {Action: workflow.Start},
		{Action: workflow.Resolve, Reason: "已处理"}, {Action: workflow.Close},
	}
	var want []event.Status
	for i := range 4 {
		id := fmt.Sprintf("ev%d", i)
		if _, err := log.Append(ctx, []event.Report{newReport(id, "src-"+id, "fp")}); err != nil {
			t.Fatal(err)
		}
		want = append(want, event.Reported)
		for _, req := range steps {
			res, err := svc.Act(ctx, id, req, "officer", allow)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, res.Event.Status)
		}
	}
	checkContiguous(t, &sink.recordingSink, uint64(len(want)))
	sink.mu.Lock()
	defer sink.mu.Unlock()
	var got []event.Status
	for _, r := range sink.recs {
		got = append(got, r.Event.Status)
		if r.Type == event.RecordUpdate && (r.Change.Seq != r.Seq || r.Change.Actor != "officer" || r.Change.To != r.Event.Status) {
			t.Fatalf("update record %d: %+v", r.Seq, r.Change)
		}
	}
	if !slices.Equal(got, want) {
		t.Fatalf("statuses in order %v, want %v", got, want)
	}
}

// TestClaimDue: a claimed deadline is hidden for its lease, then due again
// until dropped.
func TestClaimDue(t *testing.T) {
	log, store, _ := mustCases(t)
	ctx := testsvc.Context(t)
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	rep := newReport("e", "s", "fp")
	if _, err := log.Append(ctx, []event.Report{rep}); err != nil {
		t.Fatal(err)
	}
	due := workflow.Deadline{EventID: "e", Kind: workflow.DueClose, Due: now}
	later := workflow.Deadline{EventID: "e", Kind: workflow.DueRespond, Due: now.Add(time.Hour)}
	if err := store.Start(ctx, []workflow.NewCase{{Event: rep.Record.Event, First: []workflow.Deadline{due, later}}}); err != nil {
		t.Fatal(err)
	}
	claim := func(at time.Time) []workflow.Deadline {
		t.Helper()
		ds, err := store.Claim(ctx, at, time.Minute, 10)
		if err != nil {
			t.Fatal(err)
		}
		return ds
	}
	if got := claim(now); len(got) != 1 || got[0].Member() != due.Member() {
		t.Fatalf("claim at due: %v", got)
	}
	if got := claim(now.Add(30 * time.Second)); len(got) != 0 {
		t.Fatalf("claimed again within the lease: %v", got)
	}
	if got := claim(now.Add(61 * time.Second)); len(got) != 1 {
		t.Fatalf("not due again after the lease: %v", got)
	}
	if err := store.Drop(ctx, due); err != nil {
		t.Fatal(err)
	}
	if got := claim(now.Add(59 * time.Minute)); len(got) != 0 {
		t.Fatalf("claimed a dropped deadline: %v", got)
	}
}

// TestStartOnlyBeforeClocks: the timer's start of a new report's clocks is
// ignored once the event's clocks started (its state has close_by).
func TestStartOnlyBeforeClocks(t *testing.T) {
	log, store, svc := mustCases(t)
	ctx := testsvc.Context(t)
	keys := log.Keys()
	rep := newReport("e", "s", "fp")
	if _, err := log.Append(ctx, []event.Report{rep}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, "e", workflow.Request{Action: workflow.Comment, Reason: "x"}, "o", func(*event.Event, string) error { return nil }); err != nil {
		t.Fatal(err)
	}
	rdb := redisbus.ClientForTest(log)
	before := rdb.ZRange(ctx, keys.SLADue(), 0, -1).Val()
	stale := workflow.Deadline{EventID: "e", Kind: workflow.DueRespond, Due: time.UnixMilli(1)}
	if err := store.Start(ctx, []workflow.NewCase{{Event: rep.Record.Event, First: []workflow.Deadline{stale}, Dispute: true}}); err != nil {
		t.Fatal(err)
	}
	if after := rdb.ZRange(ctx, keys.SLADue(), 0, -1).Val(); !slices.Equal(after, before) || len(before) != 2 {
		t.Fatalf("deadlines %v → %v", before, after)
	}
	ids, err := store.Disputes(ctx, "411602001-001", rep.Record.Event.ReportedAt)
	if err != nil || !slices.Equal(ids, []string{"e"}) {
		t.Fatalf("disputes %v, %v", ids, err)
	}
}
