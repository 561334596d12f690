package redisbus_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// recordingSink remembers what the follower delivered.
type recordingSink struct {
	mu     sync.Mutex
	resets []redisbus.State
	seqs   []uint64
}

func (s *recordingSink) Reset(st redisbus.State) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.resets = append(s.resets, st)
	s.seqs = nil
}

func (s *recordingSink) Apply(r event.Record) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.seqs = append(s.seqs, r.Seq)
}

func (s *recordingSink) snapshot() (resets int, base uint64, seqs []uint64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.resets) > 0 {
		base = s.resets[len(s.resets)-1].Seq
	}
	return len(s.resets), base, append([]uint64(nil), s.seqs...)
}

// waitFor polls cond until it holds or the generous deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// checkContiguous asserts the sink holds exactly base+1..want, in order.
func checkContiguous(t *testing.T, s *recordingSink, want uint64) {
	t.Helper()
	waitFor(t, fmt.Sprintf("seq %d", want), func() bool {
		_, base, seqs := s.snapshot()
		return base+uint64(len(seqs)) >= want
	})
	_, base, seqs := s.snapshot()
	for i, seq := range seqs {
		if seq != base+uint64(i)+1 {
			t.Fatalf("record %d has seq %d, want %d (not contiguous)", i, seq, base+uint64(i)+1)
		}
	}
}

func startFollower(t *testing.T, log *redisbus.Log) *recordingSink {
	t.Helper()
	sink := &recordingSink{}
	f := redisbus.NewFollower(log, sink, func() string { return "2026-11-25" }, prometheus.NewRegistry())
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); _ = f.Run(ctx) }()
	t.Cleanup(func() { cancel(); <-done })
	waitFor(t, "initial state", func() bool { n, _, _ := sink.snapshot(); return n > 0 })
	return sink
}

func appendN(t *testing.T, log *redisbus.Log, from, n int) {
	t.Helper()
	var reps []event.Report
	for i := from; i < from+n; i++ {
		reps = append(reps, newReport(fmt.Sprintf("id-%d", i), fmt.Sprintf("src-%d", i), "fp"))
	}
	if _, err := log.Append(testsvc.Context(t), reps); err != nil {
		t.Fatal(err)
	}
}

func TestFollower(t *testing.T) {
	t.Run("OK_liveInOrder", func(t *testing.T) {
		log := mustLog(t)
		appendN(t, log, 0, 10) // before the follower: part of its initial state
		sink := startFollower(t, log)
		if _, base, _ := sink.snapshot(); base != 10 {
			t.Fatalf("initial state at seq %d, want 10", base)
		}
		appendN(t, log, 10, 500)
		checkContiguous(t, sink, 510)
	})
	t.Run("OK_backfillsWhatPubSubLost", func(t *testing.T) {
		log := mustLog(t)
		sink := startFollower(t, log)
		appendN(t, log, 0, 5)
		// Records that reach the stream but never pub/sub: the tail check
		// must find and back-fill them.
		if err := redisbus.AppendSilentlyForTest(t, log, 6, 20); err != nil {
			t.Fatal(err)
		}
		checkContiguous(t, sink, 20)
		appendN(t, log, 100, 5) // live again after the gap
		checkContiguous(t, sink, 25)
	})
	t.Run("Reset_whenEpochChanges", func(t *testing.T) {
		log := mustLog(t)
		sink := startFollower(t, log)
		appendN(t, log, 0, 3)
		checkContiguous(t, sink, 3)
		h, err := log.Head(testsvc.Context(t))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := log.NewEpoch(testsvc.Context(t), h.Epoch); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "a reset", func() bool { n, _, _ := sink.snapshot(); return n >= 2 })
	})
}

// TestTailCheckWaitsOneCheck: records just appended may still be on their
// way through pub/sub, so a tail check leaves them; the next check
// back-fills what was at the head then and has still not arrived.
func TestTailCheckWaitsOneCheck(t *testing.T) {
	ctx := testsvc.Context(t)
	log := mustLog(t)
	sink := &recordingSink{}
	f := redisbus.NewFollower(log, sink, func() string { return "2026-11-25" }, prometheus.NewRegistry())
	if err := redisbus.TailCheckForTest(ctx, f); err != nil {
		t.Fatal(err)
	}
	if err := redisbus.AppendSilentlyForTest(t, log, 1, 3); err != nil {
		t.Fatal(err)
	}
	if err := redisbus.TailCheckForTest(ctx, f); err != nil {
		t.Fatal(err)
	}
	if _, _, seqs := sink.snapshot(); len(seqs) != 0 {
		t.Fatalf("the first check after the appends back-filled %v; want them left to pub/sub", seqs)
	}
	if err := redisbus.AppendSilentlyForTest(t, log, 4, 4); err != nil {
		t.Fatal(err)
	}
	if err := redisbus.TailCheckForTest(ctx, f); err != nil {
		t.Fatal(err)
	}
	if _, _, seqs := sink.snapshot(); !slices.Equal(seqs, []uint64{1, 2, 3}) {
		t.Fatalf("the second check back-filled %v, want 1..3 (4 is new at this check)", seqs)
	}
}

func TestFollowerSurvivesRedisRestart(t *testing.T) {
	srv := testsvc.StartRedis(t)
	rdb, err := redisbus.Open(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer rdb.Close()
	log := redisbus.NewLog(rdb, redisbus.NewKeys("restart:"), time.Hour)
	sink := startFollower(t, log)
	appendN(t, log, 0, 50)
	checkContiguous(t, sink, 50)

	srv.Kill() // SIGKILL: AOF with appendfsync always must keep all 50
	srv.Start()
	waitFor(t, "appends after the restart", func() bool {
		_, err := log.Append(testsvc.Context(t), []event.Report{newReport("after", "after", "fp")})
		return err == nil
	})
	appendN(t, log, 51, 49)
	checkContiguous(t, sink, 100)
	// The same log came back: what was missed is back-filled and the
	// sink keeps its state (no reset, so no client is reset either).
	if n, _, _ := sink.snapshot(); n != 1 {
		t.Fatalf("%d state loads, want 1: a restart of the same log must back-fill, not reset", n)
	}
	h, err := log.Head(testsvc.Context(t))
	if err != nil || h.Seq != 100 {
		t.Fatalf("head after restart = %+v, %v; want seq 100 (nothing lost)", h, err)
	}
}
