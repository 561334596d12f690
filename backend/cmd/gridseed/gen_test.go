package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/grid"
	"github.com/gridcc/gridcc/backend/history"
)

func mustGenerator(t *testing.T, events int64) *generator {
	t.Helper()
	d, err := grid.Load("../../grid/testdata/ok")
	if err != nil {
		t.Fatal(err)
	}
	zone, _ := time.LoadLocation("Asia/Shanghai")
	now := time.Date(2026, 6, 1, 12, 0, 0, 0, zone)
	g, err := newGenerator(d, zone, history.NewDate(2024, 6, 1), history.NewDate(2026, 5, 31), events, 7, now)
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// each calls fn with every record the generator makes, in order.
func each(g *generator, fn func(i int, r event.Record)) {
	buf := make([]event.Record, 0, 10000)
	i := 0
	for {
		buf = g.next(buf[:0], 10000)
		for _, r := range buf {
			fn(i, r)
			i++
		}
		if len(buf) < 10000 {
			return
		}
	}
}

func TestGenerator(t *testing.T) {
	g := mustGenerator(t, 200000)
	state := map[string]event.Status{}
	var last time.Time
	split := time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)
	var publicOrder [2]int // June–May years
	each(g, func(i int, r event.Record) {
		if r.Change.At.Before(last) || r.Change.At.After(g.now) {
			t.Fatalf("record %d at %v: the log is in time order, up to now", i, r.Change.At)
		}
		last = r.Change.At
		prev, seen := state[r.Event.ID]
		switch {
		case r.Type == event.RecordEvent && (seen || r.Change.From != "" || r.Change.To != event.Reported):
			t.Fatalf("report %d: %+v", i, r.Change)
		case r.Type == event.RecordUpdate && (!seen || r.Change.From != prev):
			t.Fatalf("update %d from %s, but the case was %s", i, r.Change.From, prev)
		case r.Event.Status != r.Change.To:
			t.Fatalf("record %d: event state %s after a change to %s", i, r.Event.Status, r.Change.To)
		}
		state[r.Event.ID] = r.Change.To
		if r.Type == event.RecordEvent && r.Event.Category == "public_safety" {
			publicOrder[btoi(!r.Event.ReportedAt.Before(split))]++
		}
	})
	if g.reports < 190000 || g.reports > 210000 {
		t.Errorf("%d cases, want about 200,000", g.reports)
	}
	if change := float64(publicOrder[1]-publicOrder[0]) / float64(publicOrder[0]) * 100; change > -10 || change < -18 {
		t.Errorf("public-order cases changed %.1f %% year on year, want about -14 %%", change)
	}
	open := 0
	for _, s := range state {
		if !s.Terminal() {
			open++
		}
	}
	if share := float64(open) / float64(len(state)); share > 0.05 {
		t.Errorf("%.1f %% of cases open at the end, want a few", share*100)
	}
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

func TestGeneratorReproducible(t *testing.T) {
	var runs [2][]event.Change
	for i := range runs {
		each(mustGenerator(t, 5000), func(_ int, r event.Record) { runs[i] = append(runs[i], r.Change) })
	}
	if !slices.Equal(runs[0], runs[1]) {
		t.Error("the same seed gave a different history")
	}
}

// TestGeneratorWhistles checks the 吹哨报到 records: every check-in or
// miss answers an open summons of that department, and every outcome the
// review counts occurs.
func TestGeneratorWhistles(t *testing.T) {
	g := mustGenerator(t, 100000)
	type key struct{ event, dept string }
	open := map[key]bool{}   // summoned, not checked in
	missed := map[key]bool{} // summoned and missed
	outcomes := map[string]int{}
	each(g, func(i int, r event.Record) {
		c := r.Change
		switch c.Action {
		case "whistle":
			for _, d := range strings.Split(c.Target, ",") {
				if !strings.HasPrefix(d, r.Event.StreetCode+"-") && strings.Contains(d, "-") {
					t.Fatalf("record %d summons %s from another street than %s", i, d, r.Event.StreetCode)
				}
				open[key{c.EventID, d}] = true
				outcomes["summoned"]++
			}
		case "checkin_missed", "checkin":
			k := key{c.EventID, c.Target}
			if !open[k] {
				t.Fatalf("record %d: %s of %s without a summons", i, c.Action, c.Target)
			}
			if c.Action == "checkin_missed" {
				missed[k] = true
				break
			}
			if missed[k] {
				outcomes["late"]++
			} else {
				outcomes["on time"]++
			}
			delete(open, k)
			delete(missed, k)
		}
	})
	outcomes["missed"] = len(missed)
	for _, o := range []string{"summoned", "on time", "late", "missed"} {
		if outcomes[o] == 0 {
			t.Errorf("no %s check-in in %v", o, outcomes)
		}
	}
}
