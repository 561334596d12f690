package history_test

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/history"
)

func TestCheckinPerformance(t *testing.T) {
	t0 := time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)
	seq := uint64(0)
	step := func(ev, dept, action string, min int) history.SummonsStep {
		seq++
		return history.SummonsStep{EventID: ev, Department: dept, Seq: seq, At: t0.Add(time.Duration(min) * time.Minute), Action: action}
	}
	type want struct{ summoned, onTime, late, missed, pending int64 }
	for _, tc := range []struct {
		name   string
		steps  []history.SummonsStep
		want   map[string]want
		median float64 // total median seconds; 0: none
		rate   float64 // total on-time rate; -1: none
	}{
		{"OK_onTime", []history.SummonsStep{step("e", "a", "whistle", 0), step("e", "a", "checkin", 12)},
			map[string]want{"a": {1, 1, 0, 0, 0}}, 720, 1},
		{"OK_lateAfterAMiss", []history.SummonsStep{step("e", "a", "whistle", 0), step("e", "a", "checkin_missed", 30), step("e", "a", "checkin", 45)},
			map[string]want{"a": {1, 0, 1, 0, 0}}, 2700, 0},
		{"OK_missedNeverCame", []history.SummonsStep{step("e", "a", "whistle", 0), step("e", "a", "checkin_missed", 30)},
			map[string]want{"a": {1, 0, 0, 1, 0}}, 0, 0},
		{"OK_pendingNotDueYet", []history.SummonsStep{step("e", "a", "whistle", 0)},
			map[string]want{"a": {1, 0, 0, 0, 1}}, 0, -1},
		{"OK_summonedAgainAfterAMiss", []history.SummonsStep{step("e", "a", "whistle", 0), step("e", "a", "checkin_missed", 30),
			step("e", "a", "whistle", 60), step("e", "a", "checkin", 70)},
			map[string]want{"a": {2, 1, 0, 1, 0}}, 600, 0.5},
		{"OK_departmentsAndCasesApart", []history.SummonsStep{
			step("e1", "a", "whistle", 0), step("e1", "a", "checkin", 10),
			step("e1", "b", "whistle", 0), step("e1", "b", "checkin_missed", 15),
			step("e2", "a", "whistle", 0), step("e2", "a", "checkin", 30)},
			map[string]want{"a": {2, 2, 0, 0, 0}, "b": {1, 0, 0, 1, 0}}, 600, 2.0 / 3},
		{"OK_checkInWithoutWhistleIgnored", []history.SummonsStep{step("e", "a", "checkin", 5), step("e", "a", "checkin_missed", 6)},
			map[string]want{}, 0, -1},
		{"OK_none", nil, map[string]want{}, 0, -1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			deps, total := history.CheckinPerformance(tc.steps)
			if len(deps) != len(tc.want) {
				t.Fatalf("departments %+v, want %v", deps, tc.want)
			}
			var sum int64
			for _, d := range deps {
				w := tc.want[d.Department]
				got := want{d.Summoned, d.OnTime, d.Late, d.Missed, d.Pending}
				if got != w {
					t.Errorf("%s = %+v, want %+v", d.Department, got, w)
				}
				sum += d.Summoned
			}
			if total.Summoned != sum || total.Department != "" {
				t.Errorf("total %+v, want %d summoned", total, sum)
			}
			switch {
			case tc.median == 0 && total.MedianS != nil:
				t.Errorf("median %v, want none", *total.MedianS)
			case tc.median != 0 && (total.MedianS == nil || *total.MedianS != tc.median):
				t.Errorf("median %v, want %v s", total.MedianS, tc.median)
			case tc.rate < 0 && total.OnTimeRate != nil:
				t.Errorf("on-time rate %v, want none", *total.OnTimeRate)
			case tc.rate >= 0 && (total.OnTimeRate == nil || *total.OnTimeRate != tc.rate):
				t.Errorf("on-time rate %v, want %v", total.OnTimeRate, tc.rate)
			}
		})
	}
}

func TestCheckinPerformanceOrder(t *testing.T) {
	t0 := time.Date(2025, 6, 2, 9, 0, 0, 0, time.UTC)
	var steps []history.SummonsStep
	for i, dept := range []string{"b", "c", "c", "a", "a"} {
		steps = append(steps, history.SummonsStep{EventID: string(rune('p' + i)), Department: dept, Seq: uint64(i), At: t0, Action: "whistle"})
	}
	deps, _ := history.CheckinPerformance(steps)
	var order []string
	for _, d := range deps {
		order = append(order, d.Department)
	}
	if len(order) != 3 || order[0] != "a" || order[1] != "c" || order[2] != "b" {
		t.Errorf("order %v, want most summoned first, ties by id: a, c, b", order)
	}
}

func TestParseReplayCursor(t *testing.T) {
	c := history.ReplayCursor{At: time.Date(2025, 6, 2, 1, 2, 3, 0, time.UTC), Seq: 42}
	got, err := history.ParseReplayCursor("after", c.String())
	if err != nil || !got.At.Equal(c.At) || got.Seq != 42 {
		t.Errorf("round trip: %+v, %v", got, err)
	}
	for _, bad := range []string{"", "1", "x.1", "1.x", "-5.1", "1.-1", "1.2.3"} {
		if _, err := history.ParseReplayCursor("after", bad); err == nil {
			t.Errorf("%q: no error", bad)
		}
	}
}
