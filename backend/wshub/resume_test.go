package wshub

import (
	"encoding/json"
	"errors"
	"testing"
)

// TestResume covers every answer to a subscribe with since > 0: replay from
// the ring, from the log, nothing, or reset and snapshot — and in each case
// the live records that follow, contiguous.
func TestResume(t *testing.T) {
	tests := []struct {
		name      string
		opts      Options
		since     uint64
		epoch     string
		trimmed   uint64 // records of the log up to here are gone
		logErr    error
		wantMode  replayMode
		wantReset bool
	}{
		{name: "OKFromRing", since: 95, epoch: "e1", wantMode: modeRing},
		{name: "OKUpToDate", since: 100, epoch: "e1", wantMode: modeRing},
		{name: "OKFromLog", since: 50, epoch: "e1", wantMode: modeLog},
		{name: "OKFromLogRightBeforeRing", since: 83, epoch: "e1", wantMode: modeLog},
		{name: "ResetTrimmed", since: 50, epoch: "e1", trimmed: 60, wantMode: modeReset, wantReset: true},
		{name: "ResetLogDown", since: 50, epoch: "e1", logErr: errors.New("redis: connection refused"), wantMode: modeReset, wantReset: true},
		{name: "ResetLogReturnsHole", since: 50, epoch: "e1", trimmed: 0, logErr: errHole, wantMode: modeReset, wantReset: true},
		{name: "ResetEpochMismatch", since: 95, epoch: "e0", wantMode: modeReset, wantReset: true},
		{name: "ResetNoEpoch", since: 95, wantMode: modeReset, wantReset: true},
		{name: "ResetAhead", since: 101, epoch: "e1", wantMode: modeReset, wantReset: true},
		{name: "ResetTooFarBehind", opts: Options{MaxReplay: 30}, since: 50, epoch: "e1", wantMode: modeReset, wantReset: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.RingSize = 16
			env := mustStartHub(t, tt.opts)
			env.apply(100)
			env.log.trimmed = tt.trimmed
			if tt.logErr == errHole {
				env.log.recs = append(env.log.recs[:60:60], env.log.recs[61:]...)
			} else {
				env.log.err = tt.logErr
			}
			c := env.mustDial(t, "name=officer")
			c.subscribe(tt.since, tt.epoch, Filter{})

			next := tt.since + 1
			var stats *Stats
			if tt.wantReset {
				r := c.expect("reset")
				if r.Reason == "" || r.Epoch != "e1" || r.Seq != 100 {
					t.Fatalf("reset = %+v", r)
				}
				snap := c.expect("snapshot")
				d := snap.snapshot(t)
				if snap.Seq != 100 || len(d.Open) != len(env.gen.open) {
					t.Fatalf("snapshot seq %d with %d open, want 100 with %d", snap.Seq, len(d.Open), len(env.gen.open))
				}
				stats = &d.Stats
				next = 101
			}
			for m := c.next(); m.Type != "live"; m = c.next() {
				if m.Type == "stats" {
					// The counters as of the replay's end, so a resumed
					// wall does not keep the ones from before it left.
					var s Stats
					if err := json.Unmarshal(m.Data, &s); err != nil || m.Seq != 100 {
						t.Fatalf("stats seq %d: %s (%v), want seq 100", m.Seq, m.Data, err)
					}
					stats = &s
					continue
				}
				if m.Seq != next {
					t.Fatalf("replay got %s seq %d, want %d", m.Type, m.Seq, next)
				}
				next++
			}
			if next != 101 {
				t.Fatalf("replay ended before seq %d", next)
			}
			if stats == nil || stats.Open != len(env.gen.open) {
				t.Fatalf("stats before live = %+v, want open = %d", stats, len(env.gen.open))
			}
			env.apply(3)
			for ; next <= 103; next++ {
				if m := c.nextOf(); m.Seq != next {
					t.Fatalf("live got %s seq %d, want %d", m.Type, m.Seq, next)
				}
			}
			if got := counterValue(t, env.hub.metrics.replays, string(tt.wantMode)); got != 1 {
				t.Errorf("replays{mode=%s} = %v, want 1", tt.wantMode, got)
			}
		})
	}
}

// errHole marks the test case whose log silently misses a record.
var errHole = errors.New("hole")
