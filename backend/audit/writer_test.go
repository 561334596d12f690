package audit_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// localLock is a chstore.Locker for one process.
type localLock struct{ mu sync.Mutex }

func (l *localLock) Lock(context.Context) (func(), error) {
	l.mu.Lock()
	return l.mu.Unlock, nil
}

// switchable wraps a Connector with a switch that makes it fail, as if
// ClickHouse were down.
type switchable struct {
	conn audit.Connector
	down atomic.Bool
}

func (s *switchable) connect(ctx context.Context) (driver.Conn, error) {
	if s.down.Load() {
		return nil, errors.New("test: ClickHouse is down")
	}
	return s.conn(ctx)
}

var fast = audit.Options{FlushInterval: 20 * time.Millisecond, BatchSize: 50, InsertTimeout: 5 * time.Second}

type fixture struct {
	w     *audit.Writer
	ch    *switchable
	rdb   *redis.Client
	spill string // the spill list's key
	reg   *prometheus.Registry
}

func newFixture(t *testing.T, opts audit.Options) *fixture {
	t.Helper()
	rdb, prefix := testsvc.Redis(t)
	fx := &fixture{ch: &switchable{conn: audit.ClickHouse(testsvc.ClickHouseDatabase(t), &localLock{})},
		rdb: rdb, spill: prefix + "audit:spill", reg: prometheus.NewRegistry()}
	fx.w = audit.New(fx.ch.connect, rdb, prefix, opts, fx.reg)
	return fx
}

// run runs w until the test ends and checks Run returned nil.
func run(t *testing.T, w *audit.Writer) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- w.Run(ctx) }()
	var once sync.Once
	stop = func() {
		once.Do(func() {
			cancel()
			if err := <-done; err != nil {
				t.Errorf("Run: %v", err)
			}
		})
	}
	t.Cleanup(stop)
	return stop
}

func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 20s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func query(t *testing.T, r audit.Reader, q audit.Query) []audit.Record {
	t.Helper()
	if q.From.IsZero() {
		q.From, q.To = time.Now().Add(-time.Hour), time.Now().Add(time.Hour)
	}
	recs, err := r.Query(testsvc.Context(t), q)
	if err != nil {
		t.Fatalf("Query: %v", err)
	}
	return recs
}

func rec(i int) audit.Record {
	return audit.Record{User: fmt.Sprintf("user-%d", i%3), Role: "officer", Action: "login", Outcome: audit.Success,
		IP: "10.0.0.1", Detail: fmt.Sprintf("n=%d", i)}
}

func TestWriterWritesAndQueries(t *testing.T) {
	fx := newFixture(t, fast)
	run(t, fx.w)
	for i := range 120 {
		fx.w.Record(rec(i))
	}
	fx.w.Record(audit.Record{User: "zhang", Role: "officer", Action: "reveal", Object: "ev-1", Outcome: audit.Success,
		Detail: strings.Repeat("长", 5000)})
	eventually(t, "all records in ClickHouse", func() bool { return len(query(t, fx.w, audit.Query{Limit: 500})) == 121 })

	if got := query(t, fx.w, audit.Query{User: "user-1"}); len(got) != 40 {
		t.Errorf("user filter: %d records, want 40", len(got))
	}
	got := query(t, fx.w, audit.Query{Action: "reveal"})
	if len(got) != 1 || got[0].Object != "ev-1" || len([]rune(got[0].Detail)) != 1000 || got[0].ID == "" || got[0].At.IsZero() {
		t.Fatalf("action filter: %+v", got)
	}
	if got := query(t, fx.w, audit.Query{Limit: 7}); len(got) != 7 || !got[0].At.After(time.Now().Add(-time.Minute)) {
		t.Errorf("limit: %d records", len(got))
	}
	if got := query(t, fx.w, audit.Query{From: time.Now().Add(time.Hour), To: time.Now().Add(2 * time.Hour)}); len(got) != 0 {
		t.Errorf("future period: %d records", len(got))
	}
	if v := value(t, fx.reg, "gridcc_audit_written_total"); v != 121 {
		t.Errorf("written metric = %v", v)
	}
}

// TestWriterParksInRedisWhileClickHouseIsDown: records made during an
// outage go to the Redis list, and all of them reach ClickHouse after it,
// each once as readers see it.
func TestWriterParksInRedisWhileClickHouseIsDown(t *testing.T) {
	fx := newFixture(t, fast)
	run(t, fx.w)
	ctx := testsvc.Context(t)
	fx.w.Record(rec(0))
	eventually(t, "the first record written", func() bool { return len(query(t, fx.w, audit.Query{})) == 1 })

	fx.ch.down.Store(true)
	for i := 1; i <= 200; i++ {
		fx.w.Record(rec(i))
	}
	eventually(t, "records parked in Redis", func() bool { return fx.rdb.LLen(ctx, fx.spill).Val() == 200 })
	if _, err := fx.w.Query(ctx, audit.Query{From: time.Now().Add(-time.Hour), To: time.Now()}); err == nil {
		t.Error("query succeeded while ClickHouse is down")
	}

	fx.ch.down.Store(false)
	fx.w.Record(rec(201))
	eventually(t, "the parked records drained", func() bool {
		return len(query(t, fx.w, audit.Query{})) == 202 && fx.rdb.LLen(ctx, fx.spill).Val() == 0
	})
	// Record 201 may still have caught the end of the outage's flush.
	spilled, drained, written := value(t, fx.reg, "gridcc_audit_spilled_total"), value(t, fx.reg, "gridcc_audit_drained_total"),
		value(t, fx.reg, "gridcc_audit_written_total")
	if spilled < 200 || drained != spilled || written+drained != 202 {
		t.Errorf("spilled %v, drained %v, written %v; want ≥200 parked, all of them drained, 202 in all", spilled, drained, written)
	}
}

// TestWriterDropsOnlyPastItsBounds: with ClickHouse and Redis both down the
// buffer holds BufferRecords and counts the rest as dropped; with only
// ClickHouse down, Redis holds SpillMax and the rest is counted likewise.
func TestWriterDropsOnlyPastItsBounds(t *testing.T) {
	t.Run("OK/bufferFull", func(t *testing.T) {
		dead := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", DialTimeout: 100 * time.Millisecond, MaxRetries: -1, DisableIdentity: true})
		t.Cleanup(func() { dead.Close() })
		reg := prometheus.NewRegistry()
		down := func(context.Context) (driver.Conn, error) { return nil, errors.New("down") }
		w := audit.New(down, dead, "x:", audit.Options{BufferRecords: 5, FlushInterval: 10 * time.Millisecond}, reg)
		stop := run(t, w)
		for i := range 8 {
			w.Record(rec(i))
		}
		time.Sleep(100 * time.Millisecond) // rounds fail; the 5 stay in memory
		if v := value(t, reg, "gridcc_audit_buffered"); v != 5 {
			t.Errorf("buffered = %v, want 5", v)
		}
		stop()
		if v := value(t, reg, "gridcc_audit_dropped_total"); v != 3+5 {
			t.Errorf("dropped = %v, want 3 past the bound + 5 at shutdown", v)
		}
	})
	t.Run("OK/spillFull", func(t *testing.T) {
		opts := fast
		opts.SpillMax = 3
		fx := newFixture(t, opts)
		fx.ch.down.Store(true)
		run(t, fx.w)
		for i := range 5 {
			fx.w.Record(rec(i))
		}
		eventually(t, "the batch handled", func() bool {
			return value(t, fx.reg, "gridcc_audit_dropped_total") == 2
		})
		if n := fx.rdb.LLen(testsvc.Context(t), fx.spill).Val(); n != 3 {
			t.Errorf("%d parked, want 3", n)
		}
	})
}

// TestWriterFlushesOnShutdown: records of the last moments are written
// when Run stops.
func TestWriterFlushesOnShutdown(t *testing.T) {
	opts := fast
	opts.FlushInterval = time.Hour
	fx := newFixture(t, opts)
	stop := run(t, fx.w)
	for i := range 10 {
		fx.w.Record(rec(i))
	}
	stop()
	if got := query(t, fx.w, audit.Query{}); len(got) != 10 {
		t.Fatalf("%d records after shutdown, want 10", len(got))
	}
}

// TestDrainTwoReplicas: two writers sharing the spill list drain it
// together with nothing lost and nothing visible twice.
func TestDrainTwoReplicas(t *testing.T) {
	rdb, prefix := testsvc.Redis(t)
	url := testsvc.ClickHouseDatabase(t)
	lock := &localLock{}
	ch := &switchable{conn: audit.ClickHouse(url, lock)}
	ch.down.Store(true)
	a := audit.New(ch.connect, rdb, prefix, fast, prometheus.NewRegistry())
	b := audit.New(ch.connect, rdb, prefix, fast, prometheus.NewRegistry())
	run(t, a)
	run(t, b)
	for i := range 300 {
		[]*audit.Writer{a, b}[i%2].Record(rec(i))
	}
	ctx := testsvc.Context(t)
	eventually(t, "all parked", func() bool { return rdb.LLen(ctx, prefix+"audit:spill").Val() == 300 })
	ch.down.Store(false)
	eventually(t, "all drained", func() bool { return len(query(t, a, audit.Query{Limit: 1000})) == 300 })
	if n := rdb.LLen(ctx, prefix+"audit:spill").Val(); n != 0 {
		t.Errorf("%d left parked", n)
	}
}

// value sums the series of the metric called name in reg.
func value(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() == name {
			var sum float64
			for _, m := range mf.GetMetric() {
				sum += m.GetCounter().GetValue() + m.GetGauge().GetValue()
			}
			return sum
		}
	}
	t.Fatalf("metric %s not registered", name)
	return 0
}
