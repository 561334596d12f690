package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/testsvc"
)

// runLoad posts events for the duration of fault (which injects it), then
// stops and returns the acknowledged set.
func runLoad(t *testing.T, urls func() []string, token string, fault func()) map[string]time.Time {
	t.Helper()
	return runLoadOf(t, urls, token, hotlineJSON, fault)
}

// runLoadOf is runLoad with events made by body.
func runLoadOf(t *testing.T, urls func() []string, token string, body func(string) []byte, fault func()) map[string]time.Time {
	t.Helper()
	acks := &ackSet{ids: map[string]time.Time{}}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); acks.postLoop(ctx, t, urls, token, body, 5*time.Millisecond) }()
	fault()
	cancel()
	<-done
	acked := acks.snapshot()
	t.Logf("load: %d acknowledged, %d refused and %d unanswered during the fault", len(acked), acks.bad, acks.failed)
	// A handful is enough to show the load ran: under -race on a busy
	// machine (500 clients in one test) a POST can take 100 ms.
	if len(acked) < 20 {
		t.Fatalf("only %d events acknowledged: the load did not run", len(acked))
	}
	return acked
}

func startClient(t *testing.T, urls func() []string, token string) *resumingClient {
	t.Helper()
	c := newResumingClient()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); c.run(ctx, urls, token) }()
	t.Cleanup(func() { cancel(); <-done })
	return c
}

func fixed(urls ...string) func() []string { return func() []string { return urls } }

func TestFanOutAcrossReplicaProcesses(t *testing.T) {
	cl := newCluster(t, testsvc.RedisURL(t))
	a, b := cl.start(), cl.start()
	onB := startClient(t, fixed(b.URL), cl.WallToken)
	waitLive(t, onB)
	acked := runLoad(t, fixed(a.URL), cl.IngestToken, func() { time.Sleep(2 * time.Second) })
	checkDelivered(t, "client of B, events posted to A", onB, acked)
}

func TestNothingLostWhenAReplicaIsKilled(t *testing.T) {
	cl := newCluster(t, testsvc.RedisURL(t))
	a, b := cl.start(), cl.start()
	var aDead atomic.Bool
	live := func() []string {
		if aDead.Load() {
			return []string{b.URL}
		}
		return []string{a.URL, b.URL}
	}
	onA := startClient(t, live, cl.WallToken) // must move to B and resume
	onB := startClient(t, fixed(b.URL), cl.WallToken)
	waitLive(t, onA)
	waitLive(t, onB)
	acked := runLoad(t, live, cl.IngestToken, func() {
		time.Sleep(1500 * time.Millisecond)
		a.kill() // SIGKILL, mid-ingest
		aDead.Store(true)
		time.Sleep(1500 * time.Millisecond)
	})
	checkDelivered(t, "client that was on the killed replica", onA, acked)
	checkDelivered(t, "client on the surviving replica", onB, acked)
}

func TestNothingLostWhenRedisRestarts(t *testing.T) {
	redis := testsvc.StartRedis(t)
	cl := newCluster(t, redis.URL)
	r := cl.start()
	c := startClient(t, fixed(r.URL), cl.WallToken)
	waitLive(t, c)
	acked := runLoad(t, fixed(r.URL), cl.IngestToken, func() {
		time.Sleep(1500 * time.Millisecond)
		redis.Kill() // SIGKILL: only AOF with appendfsync always keeps the acknowledged events
		time.Sleep(500 * time.Millisecond)
		redis.Start()
		time.Sleep(2 * time.Second)
	})
	checkDelivered(t, "client across a Redis restart", c, acked)
	if c.resets != 0 {
		t.Errorf("%d resets: the same log came back, so the replica must back-fill, not reset its clients", c.resets)
	}
}

func TestClientOfflineThenResumes(t *testing.T) {
	offline := 30 * time.Second
	switch {
	case os.Getenv("GRIDCC_SOAK") != "": // scripts/soak.sh
		offline = 5 * time.Minute
	case testing.Short():
		offline = 3 * time.Second
	}
	r := startReplica(t, nil)
	c := newResumingClient()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _ = c.session(ctx, r.URL, r.WallToken) }()
	waitLive(t, c)
	acked := runLoad(t, fixed(r.URL), r.IngestToken, func() {
		time.Sleep(time.Second)
		cancel() // the client goes offline; events keep coming
		time.Sleep(offline)
	})
	before := len(c.ids())
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go func() { _ = c.session(ctx2, r.URL, r.WallToken) }()
	checkDelivered(t, "client back after "+offline.String(), c, acked)
	if c.resets != 0 {
		t.Errorf("resume within the ring produced %d resets; want a replay", c.resets)
	}
	t.Logf("%d events arrived before going offline, %d in the replay", before, len(acked)-before)
}

// TestClientOfflineLongerThanTheStreamKeeps: when what a client missed is
// gone from the ring and trimmed from the log, it gets an explicit reset and
// a snapshot that holds every acknowledged (still open) event: never a
// silent gap.
func TestClientOfflineLongerThanTheStreamKeeps(t *testing.T) {
	r := startReplica(t, map[string]string{"GRIDCC_WS_RING": "20", "GRIDCC_HISTORY_KEEP_RECENT": "20"})
	c := newResumingClient()
	ctx, cancel := context.WithCancel(context.Background())
	go func() { _ = c.session(ctx, r.URL, r.WallToken) }()
	waitLive(t, c)
	acked := runLoad(t, fixed(r.URL), r.IngestToken, func() {
		time.Sleep(500 * time.Millisecond)
		cancel() // offline while the writer stores the records in ClickHouse and trims the log
		time.Sleep(2 * time.Second)
	})
	deadline := time.Now().Add(60 * time.Second)
	for metricValue(t, r.URL, "gridcc_history_trimmed_records_total") < float64(len(acked)/2) {
		if time.Now().After(deadline) {
			t.Fatal("the log was never trimmed past the offline client")
		}
		time.Sleep(500 * time.Millisecond)
	}
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	go func() { _ = c.session(ctx2, r.URL, r.WallToken) }()
	checkDelivered(t, "client back after its records were trimmed", c, acked)
	if c.resets != 1 {
		t.Errorf("%d resets, want exactly 1 (explicit, not a silent gap)", c.resets)
	}
}

// metricValue reads one unlabelled series from base's /metrics.
func metricValue(t *testing.T, base, name string) float64 {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.Lines(string(body)) {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			return f
		}
	}
	return 0
}
