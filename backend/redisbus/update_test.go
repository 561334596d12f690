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
	if err := store.Start(ctx, []workflow.NewCase{{Event: rep.Record.Event, Intake: event.Intake{Deadlines: timed(due, later)}}}); err != nil {
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

// timed is ds as Queue.Start takes them.
func timed(ds ...workflow.Deadline) []event.Timed {
	out := make([]event.Timed, len(ds))
	for i, d := range ds {
		out[i] = event.Timed{Member: d.Member(), Due: d.Due}
	}
	return out
}

// stampedReport is a report as ingest stores it: its clocks stamped.
func stampedReport(id, sourceID string) event.Report {
	rep := newReport(id, sourceID, "fp")
	workflow.DefaultPolicy.StartClocks(&rep.Record.Event)
	return rep
}

// TestStartQueuesFirstDeadlines: Start queues the deadlines ingest stamped
// (once: a queued one keeps its place), notes disputes, and queues nothing
// for an event whose state is gone.
func TestStartQueuesFirstDeadlines(t *testing.T) {
	log, store, _ := mustCases(t)
	ctx := testsvc.Context(t)
	keys := log.Keys()
	rdb := redisbus.ClientForTest(log)
	rep := stampedReport("e", "s")
	if _, err := log.Append(ctx, []event.Report{rep}); err != nil {
		t.Fatal(err)
	}
	rules := workflow.Rules{SLA: workflow.DefaultPolicy}
	intake := rules.Intake(&rep.Record.Event)
	first := intake.Deadlines
	if len(first) != 2 || !intake.Dispute {
		t.Fatalf("intake %+v, want respond and close deadlines of a dispute", intake)
	}
	gone := newReport("gone", "s2", "fp").Record.Event // never appended
	news := []workflow.NewCase{{Event: rep.Record.Event, Intake: intake},
		{Event: gone, Intake: event.Intake{Deadlines: rules.Intake(&gone).Deadlines}}}
	for range 2 {
		if err := store.Start(ctx, news); err != nil {
			t.Fatal(err)
		}
	}
	got := rdb.ZRangeWithScores(ctx, keys.SLADue(), 0, -1).Val()
	if len(got) != 2 {
		t.Fatalf("due set %v, want the two deadlines of e", got)
	}
	for _, z := range got {
		i := slices.IndexFunc(first, func(d event.Timed) bool { return d.Member == z.Member })
		if i < 0 || int64(z.Score) != first[i].Due.UnixMilli() {
			t.Fatalf("queued %v (score %v), want one of %v at its due time", z.Member, z.Score, first)
		}
	}
	ids, err := store.Disputes(ctx, "411602001-001", rep.Record.Event.ReportedAt)
	if err != nil || !slices.Equal(ids, []string{"e"}) {
		t.Fatalf("disputes %v, %v", ids, err)
	}
}

// TestStartSkipsTouchedEvents: once a workflow update has touched an event
// (it queued the deadlines itself, and a fired one must not come back), the
// timer's start of its clocks queues nothing; the dispute is still noted.
func TestStartSkipsTouchedEvents(t *testing.T) {
	log, store, svc := mustCases(t)
	ctx := testsvc.Context(t)
	keys := log.Keys()
	rep := stampedReport("e", "s")
	if _, err := log.Append(ctx, []event.Report{rep}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Act(ctx, "e", workflow.Request{Action: workflow.Comment, Reason: "x"}, "o", func(*event.Event, string) error { return nil }); err != nil {
		t.Fatal(err)
	}
	rdb := redisbus.ClientForTest(log)
	before := rdb.ZRange(ctx, keys.SLADue(), 0, -1).Val()
	stale := workflow.Deadline{EventID: "e", Kind: workflow.DueRespond, Due: time.UnixMilli(1)}
	if err := store.Start(ctx, []workflow.NewCase{{Event: rep.Record.Event, Intake: event.Intake{Deadlines: timed(stale), Dispute: true}}}); err != nil {
		t.Fatal(err)
	}
	if after := rdb.ZRange(ctx, keys.SLADue(), 0, -1).Val(); !slices.Equal(after, before) || len(before) != 2 {
		t.Fatalf("deadlines %v → %v; want the update's two, unchanged", before, after)
	}
	ids, err := store.Disputes(ctx, "411602001-001", rep.Record.Event.ReportedAt)
	if err != nil || !slices.Equal(ids, []string{"e"}) {
		t.Fatalf("disputes %v, %v", ids, err)
	}
}

// TestTimerFiresStampedClocks: an event stored as ingest stores it, clocks
// stamped and long past, is marked overdue by the next tick of the timer.
// (Regression: the intake once skipped every event whose state had
// close_by, which since the stamping at ingest was every event, so no
// deadline of an untouched event ever fired.)
func TestTimerFiresStampedClocks(t *testing.T) {
	log, store, _ := mustCases(t)
	ctx := testsvc.Context(t)
	rep := stampedReport("e", "s")
	if _, err := log.Append(ctx, []event.Report{rep}); err != nil {
		t.Fatal(err)
	}
	rules := &workflow.Rules{SLA: workflow.DefaultPolicy}
	timer := workflow.NewTimer(rules, store, store, workflow.TimerOptions{})
	if err := timer.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	cur, err := store.Get(ctx, "e")
	if err != nil {
		t.Fatal(err)
	}
	if !cur.Event.Overdue {
		t.Fatalf("event after a tick past its deadlines: overdue %v, status %s; want overdue", cur.Event.Overdue, cur.Event.Status)
	}
}
