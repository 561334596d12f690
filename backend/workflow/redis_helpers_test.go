package workflow_test

import (
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

// clock is a settable test clock; step > 0 advances it on every reading.
type clock struct {
	mu   sync.Mutex
	t    time.Time
	step time.Duration
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.t
	c.t = c.t.Add(c.step)
	return t
}

func (c *clock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = t
}

// env is the workflow over the real test Redis, under its own key prefix.
type env struct {
	rules  *workflow.Rules
	prefix string
	rdb    *redis.Client
	log    *redisbus.Log
	store  *redisbus.CaseStore
	svc    *workflow.Service
	clock  *clock
}

func newEnv(t *testing.T) *env {
	t.Helper()
	rdb, prefix := testsvc.Redis(t)
	e := &env{rules: testRules(t), prefix: prefix, rdb: rdb, clock: &clock{t: t0}}
	e.log, e.store, e.svc = e.client(t, rdb)
	return e
}

// client builds the log, store and service over one Redis client, as a
// replica would.
func (e *env) client(t *testing.T, rdb *redis.Client) (*redisbus.Log, *redisbus.CaseStore, *workflow.Service) {
	t.Helper()
	log := redisbus.NewLog(rdb, redisbus.NewKeys(e.prefix), time.Hour)
	store := redisbus.NewCaseStore(log, redisbus.CaseOptions{})
	svc := workflow.NewService(e.rules, store, store)
	workflow.SetClockForTest(svc, e.clock.Now)
	return log, store, svc
}

// replica is a second replica: its own Redis client, the same keys.
func (e *env) replica(t *testing.T) (*redisbus.CaseStore, *workflow.Service) {
	t.Helper()
	rdb, err := redisbus.Open(testsvc.RedisURL(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rdb.Close() })
	_, store, svc := e.client(t, rdb)
	return store, svc
}

func (e *env) timer(store *redisbus.CaseStore, opts workflow.TimerOptions, now func() time.Time) *workflow.Timer {
	tm := workflow.NewTimer(e.rules, store, store, opts)
	workflow.SetTimerClockForTest(tm, now)
	return tm
}

// report appends new events as ingest does.
func (e *env) report(t *testing.T, evs ...event.Event) {
	t.Helper()
	var reps []event.Report
	for _, ev := range evs {
		reps = append(reps, event.Report{
			Record:      event.Record{Type: event.RecordEvent, Event: ev, Change: event.NewReportedChange(ev, ev.Source)},
			Fingerprint: "fp-" + ev.ID, Day: ev.ReportedAt.Format(time.DateOnly)})
	}
	res, err := e.log.Append(testsvc.Context(t), reps)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Outcome != event.Appended {
			t.Fatalf("append: %+v", r)
		}
	}
}

// act takes an action as officer, failing the test on error.
func (e *env) act(t *testing.T, id string, req workflow.Request) workflow.Result {
	t.Helper()
	res, err := e.svc.Act(testsvc.Context(t), id, req, "officer", allowAll)
	if err != nil {
		t.Fatalf("%s on %s: %v", req.Action, id, err)
	}
	return res
}

func allowAll(*event.Event, string) error { return nil }

// records reads every record of the log.
func (e *env) records(t *testing.T) []event.Record {
	t.Helper()
	h, err := e.log.Head(testsvc.Context(t))
	if err != nil {
		t.Fatal(err)
	}
	recs, err := e.log.Range(testsvc.Context(t), 0, h.Seq)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// changesOf counts an event's update records by action.
func changesOf(recs []event.Record, id string) map[string]int {
	out := map[string]int{}
	for _, r := range recs {
		if r.Type == event.RecordUpdate && r.Event.ID == id {
			out[r.Change.Action]++
		}
	}
	return out
}
