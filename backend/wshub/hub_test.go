package wshub

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// runHub runs env.hub.Run until the test ends.
func runHub(t *testing.T, env *testEnv) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- env.hub.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("Run: %v", err)
		}
	})
}

func TestSnapshotThenLive(t *testing.T) {
	env := mustStartHub(t, Options{})
	env.apply(20)
	c := env.mustDial(t, "name=officer")
	c.subscribe(0, "", Filter{})

	snap := c.expect("snapshot")
	if snap.Seq != 20 || snap.Epoch != "e1" {
		t.Fatalf("snapshot seq %d epoch %q, want 20 e1", snap.Seq, snap.Epoch)
	}
	d := snap.snapshot(t)
	if len(d.Open) != len(env.gen.open) || d.Stats.Open != len(env.gen.open) {
		t.Fatalf("snapshot has %d open (stats %d), want %d", len(d.Open), d.Stats.Open, len(env.gen.open))
	}
	for i := 1; i < len(d.Open); i++ {
		if d.Open[i].ReportedAt.Before(d.Open[i-1].ReportedAt) {
			t.Fatal("snapshot not ordered by report time")
		}
	}
	if m := c.expect("live"); m.Seq != 20 {
		t.Fatalf("live seq %d, want 20", m.Seq)
	}
	if len(c.frames) != 1 {
		t.Fatalf("snapshot and live came in %d frames, want them batched in 1", len(c.frames))
	}
	env.apply(5)
	for want := uint64(21); want <= 25; want++ {
		m := c.nextOf()
		if (m.Type != "event" && m.Type != "update") || m.Seq != want {
			t.Fatalf("got %s seq %d, want a record with seq %d", m.Type, m.Seq, want)
		}
	}
}

// TestFilterAndScope checks that snapshots, log replays, ring replays and live
// messages all carry exactly the records that pass the filter within the
// client's scope, and no others.
func TestFilterAndScope(t *testing.T) {
	env := mustStartHub(t, Options{RingSize: 16})
	env.apply(100)
	scope := testStreets[:2]
	f := Filter{Kinds: []event.Kind{event.Hotline, event.GridEvent, event.Warning}, MinSeverity: event.Medium}
	cf, err := compileFilter(f, Scope{Streets: scope})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		since uint64
	}{{"Snapshot", 0}, {"LogThenRing", 50}, {"Ring", 95}} {
		t.Run(tc.name, func(t *testing.T) {
			c := env.mustDial(t, "name=street-officer&"+streetsQuery(scope...))
			c.subscribe(tc.since, "e1", f)
			last := tc.since
			if tc.since == 0 {
				snap := c.expect("snapshot")
				for _, e := range snap.snapshot(t).Open {
					if !cf.match(attrsOf(&e)) {
						t.Errorf("snapshot holds %s (%s %s %s) outside the filter", e.ID, e.StreetCode, e.Kind, e.Severity)
					}
				}
				last = snap.Seq
			}
			want := matchingSeqs(env.log, cf, last, env.hub.Seq())
			var got []uint64
			for m := c.nextOf(); m.Type != "live"; m = c.nextOf() {
				got = append(got, m.Seq)
			}
			if !equalSeqs(got, want) {
				t.Fatalf("replay seqs %v, want %v", got, want)
			}
		})
	}
	t.Run("Live", func(t *testing.T) {
		c := env.mustDial(t, "name=street-officer&"+streetsQuery(scope...))
		c.subscribe(env.hub.Seq(), "e1", f)
		from := c.expect("live").Seq
		env.apply(100)
		want := matchingSeqs(env.log, cf, from, env.hub.Seq())
		var got []uint64
		for len(got) < len(want) {
			m := c.nextOf()
			if !cf.match(attrsOf(ptr(m.recordEvent(t)))) {
				t.Fatalf("live %s seq %d outside the filter", m.Type, m.Seq)
			}
			got = append(got, m.Seq)
		}
		if !equalSeqs(got, want) {
			t.Fatalf("live seqs %v, want %v", got, want)
		}
	})
}

func ptr[T any](v T) *T { return &v }

// matchingSeqs lists the seqs in (since, until] of the log that pass f.
func matchingSeqs(l *memLog, f *filter, since, until uint64) []uint64 {
	var out []uint64
	for _, r := range l.recs[since:until] {
		if f.match(attrsOf(&r.Event)) {
			out = append(out, r.Seq)
		}
	}
	return out
}

func equalSeqs(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestResubscribeReplacesFilter(t *testing.T) {
	env := mustStartHub(t, Options{})
	env.apply(60)
	c := env.mustDial(t, "name=officer")
	c.subscribe(0, "", Filter{})
	all := len(c.expect("snapshot").snapshot(t).Open)
	c.expect("live")

	c.subscribe(0, "", Filter{Kinds: []event.Kind{event.CameraAlert}})
	snap := c.expect("snapshot")
	open := snap.snapshot(t).Open
	if len(open) == 0 || len(open) >= all {
		t.Fatalf("filtered snapshot has %d of %d open events", len(open), all)
	}
	for _, e := range open {
		if e.Kind != event.CameraAlert {
			t.Fatalf("snapshot after resubscribe holds a %s", e.Kind)
		}
	}
	c.expect("live")
	env.apply(40)
	cf, _ := compileFilter(Filter{Kinds: []event.Kind{event.CameraAlert}}, Scope{})
	for _, want := range matchingSeqs(env.log, cf, 60, 100) {
		if m := c.nextOf(); m.Seq != want || m.recordEvent(t).Kind != event.CameraAlert {
			t.Fatalf("got %s seq %d, want camera alert seq %d", m.Type, m.Seq, want)
		}
	}
}

func TestHubResetSendsResetAndSnapshot(t *testing.T) {
	env := mustStartHub(t, Options{})
	env.apply(10)
	c := env.mustDial(t, "name=officer")
	c.subscribe(0, "", Filter{})
	c.expect("snapshot")
	c.expect("live")

	kept := env.gen.open[:2]
	env.hub.Reset(Snapshot{Epoch: "e2", Seq: 7, Day: "2025-06-01", Open: kept})
	r := c.expect("reset")
	if r.Epoch != "e2" || r.Seq != 7 || r.Reason == "" {
		t.Fatalf("reset = %+v", r)
	}
	snap := c.expect("snapshot")
	if snap.Epoch != "e2" || snap.Seq != 7 || len(snap.snapshot(t).Open) != 2 {
		t.Fatalf("snapshot after reset: seq %d epoch %s open %d", snap.Seq, snap.Epoch, len(snap.snapshot(t).Open))
	}
	c.expect("live")
	env.gen = newGen(2, 7)
	env.apply(1)
	if m := c.nextOf(); m.Seq != 8 {
		t.Fatalf("after reset got %s seq %d, want seq 8", m.Type, m.Seq)
	}
}

func TestStatsMessages(t *testing.T) {
	env := mustStartHub(t, Options{StatsInterval: 5 * time.Millisecond})
	runHub(t, env)
	c := env.mustDial(t, "name=wall&masked=1")
	c.subscribe(0, "", Filter{Kinds: []event.Kind{event.Warning}})
	c.expect("snapshot")
	c.expect("live")
	env.apply(30)
	for {
		m := c.next()
		if m.Type != "stats" || m.Seq != 30 {
			continue
		}
		var s Stats
		if err := json.Unmarshal(m.Data, &s); err != nil {
			t.Fatal(err)
		}
		// Stats are district-wide: the kind filter does not narrow them.
		if s.Open != len(env.gen.open) || s.TodayTotal == 0 || s.Day != "2025-06-01" {
			t.Fatalf("stats = %+v, want %d open", s, len(env.gen.open))
		}
		return
	}
}

func TestFramesBatchedUpToMaxFrameBytes(t *testing.T) {
	const maxFrame = 4 << 10
	env := mustStartHub(t, Options{MaxFrameBytes: maxFrame})
	env.apply(100)
	c := env.mustDial(t, "name=officer")
	c.subscribe(1, "e1", Filter{})
	c.until("live")
	if len(c.frames) < 2 {
		t.Fatalf("a replay of 99 records came in %d frame(s)", len(c.frames))
	}
	for i, f := range c.frames {
		var ms []json.RawMessage
		if err := json.Unmarshal(f, &ms); err != nil {
			t.Fatal(err)
		}
		if len(f) > maxFrame && len(ms) > 1 {
			t.Errorf("frame %d has %d bytes in %d messages; only a single message may pass %d", i, len(f), len(ms), maxFrame)
		}
	}
}

// TestWriteGapSharesAFrame checks the write gap: records that arrive within
// the gap after a write wait for its end and go out together in one frame.
// The gap is long enough that applying the records cannot outlast it.
func TestWriteGapSharesAFrame(t *testing.T) {
	env := mustStartHub(t, Options{WriteGap: 500 * time.Millisecond})
	c := env.mustDial(t, "name=officer")
	c.subscribe(0, "", Filter{})
	c.expect("snapshot")
	c.expect("live")
	before := len(c.frames)
	env.apply(6)
	for want := uint64(1); want <= 6; want++ {
		if m := c.nextOf(); m.Seq != want {
			t.Fatalf("got %s seq %d, want seq %d", m.Type, m.Seq, want)
		}
	}
	if n := len(c.frames) - before; n != 1 {
		t.Fatalf("6 records within the gap came in %d frames, want 1", n)
	}
}
