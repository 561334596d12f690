package history_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// pipeline is a log, a history store and what the tests need to look at
// them, each on a key prefix and database of the test's own.
type pipeline struct {
	rdb   *redis.Client
	log   *redisbus.Log
	store *chstore.Store
	url   string
}

func mustPipeline(t *testing.T, chURL string) *pipeline {
	t.Helper()
	rdb, prefix := testsvc.Redis(t)
	p := &pipeline{rdb: rdb, log: redisbus.NewLog(rdb, redisbus.NewKeys(prefix), time.Hour), url: chURL}
	p.store = chstore.New(chURL, shanghai, redisbus.NewLock(rdb, prefix+"migrate", 10*time.Second))
	t.Cleanup(func() { p.store.Close() })
	return p
}

// fastOptions make a writer that flushes, trims and takes over quickly.
var fastOptions = history.Options{BatchSize: 25, FlushInterval: 50 * time.Millisecond, TrimEvery: 50 * time.Millisecond,
	KeepRecent: 1000000, WriteTimeout: 2 * time.Second, RetryMax: 500 * time.Millisecond, ClaimIdle: 10 * time.Second}

func (p *pipeline) writer(t *testing.T, name string, opts history.Options) *history.Writer {
	t.Helper()
	c := redisbus.NewConsumer(p.rdb, p.log.Keys(), "history", name)
	w, err := history.NewWriter([]history.Source{c}, p.store, history.Rows{Zone: shanghai, SLAs: history.DefaultSLAs}, opts, prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// run runs w until the test ends.
func run(t *testing.T, w *history.Writer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Go(func() { _ = w.Run(ctx) })
	t.Cleanup(func() { cancel(); wg.Wait() })
}

// appendCases puts cases into the log the way the live system does:
// reports through Append (ingest), the later changes as update records.
func (p *pipeline) appendCases(t *testing.T, cases []historytest.Case) int {
	t.Helper()
	ctx := testsvc.Context(t)
	var reps []event.Report
	var updates []event.Record
	for _, c := range cases {
		reps = append(reps, c.Report())
		updates = append(updates, c.Records()[1:]...)
	}
	res, err := p.log.Append(ctx, reps)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range res {
		if r.Outcome != event.Appended {
			t.Fatalf("append: %+v", r)
		}
	}
	if len(updates) > 0 {
		if _, err := p.log.Import(ctx, updates); err != nil {
			t.Fatal(err)
		}
	}
	return len(reps) + len(updates)
}

// waitFor polls cond until it holds or a generous deadline passes. It
// waits for the pipeline to catch up; it asserts nothing about how fast.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// countNow is count for polling: an error (the table is not there yet, the
// server is restarting) reads as 0.
func countNow(t *testing.T, conn driver.Conn, query string) uint64 {
	t.Helper()
	var n uint64
	if err := conn.QueryRow(testsvc.Context(t), query).Scan(&n); err != nil {
		return 0
	}
	return n
}

func drained(t *testing.T, w *history.Writer) func() bool {
	return func() bool {
		n, err := w.Backlog(testsvc.Context(t))
		return err == nil && n == 0
	}
}

func mustConn(t *testing.T, url string) driver.Conn {
	t.Helper()
	conn, err := chstore.Open(testsvc.Context(t), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func count(t *testing.T, conn driver.Conn, query string) uint64 {
	t.Helper()
	var n uint64
	if err := conn.QueryRow(testsvc.Context(t), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// statsSnapshot answers every stats endpoint over the test data and
// returns the answers as JSON, for comparison.
func statsSnapshot(t *testing.T, s *history.Stats) string {
	t.Helper()
	ctx := testsvc.Context(t)
	week := history.Period{From: history.NewDate(2025, 6, 2), To: history.NewDate(2025, 6, 8), Week: "2025-W23"}
	quarter := history.Period{From: history.NewDate(2025, 4, 1), To: history.NewDate(2025, 6, 30)}
	var out []any
	add := func(v any, err error) {
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	add(s.Summary(ctx, history.Filter{}, week))
	add(s.Summary(ctx, history.Filter{Kind: event.Hotline}, week))
	for _, split := range []history.Dimension{history.ByKind, history.ByCategory, history.ByStreet, history.ByGrid} {
		add(s.Trend(ctx, history.Filter{}, quarter, history.Weekly, split, 10))
	}
	add(s.Hotspots(ctx, history.Filter{}, week, history.ByGrid, 10))
	add(s.Hotspots(ctx, history.Filter{Category: "dispute"}, week, history.ByStreet, 10))
	add(s.Recurring(ctx, "dispute", "", quarter, history.AtGrid, 3, 30, 50))
	add(s.Recurring(ctx, "dispute", "", quarter, history.AtAddress, 2, 30, 50))
	add(s.Heatmap(ctx, history.Filter{}, week, true))
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
