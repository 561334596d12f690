package history_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
)

func timeMonth(m int) time.Month { return time.Month(m) }

func asAppErr(err error, e **apperr.Error) bool { return errors.As(err, e) }

func TestDoneDeltaAndClosing(t *testing.T) {
	for _, tc := range []struct {
		from, to event.Status
		delta    int8
		closing  bool
	}{
		{"", event.Reported, 0, false},
		{event.Dispatched, event.Accepted, 0, false},
		{event.Resolved, event.Closed, 1, true},
		{event.Closed, event.Rated, 0, false},
		{event.Closed, event.Reopened, -1, false},
		{event.Reopened, event.Closed, 1, true},
		{event.Reported, event.Merged, 1, false},
		{event.Reported, event.Acknowledged, 1, true},
	} {
		c := event.Change{From: tc.from, To: tc.to}
		if got := history.DoneDelta(c); got != tc.delta {
			t.Errorf("%s→%s: delta %d, want %d", tc.from, tc.to, got, tc.delta)
		}
		if got := history.IsClosing(c); got != tc.closing {
			t.Errorf("%s→%s: closing %v, want %v", tc.from, tc.to, got, tc.closing)
		}
	}
}

func TestCompare(t *testing.T) {
	rate := func(v float64) *float64 { return &v }
	cur := history.Figures{Reported: 8583, ByKind: map[event.Kind]int64{event.GridEvent: 100}, ClosureRate: rate(0.98)}
	ref := history.Figures{Reported: 10000, ByKind: map[event.Kind]int64{event.GridEvent: 0}, ClosureRate: rate(0.965)}
	c := history.Compare(cur, ref)
	if c.ReportedPct == nil || *c.ReportedPct != -14.17 {
		t.Errorf("reported change = %v, want -14.17 %%", c.ReportedPct)
	}
	if c.ClosureRatePP == nil || *c.ClosureRatePP != 1.5 {
		t.Errorf("closure rate change = %v, want +1.5 points", c.ClosureRatePP)
	}
	if c.ByKindPct[event.GridEvent] != nil || c.OnTimeRatePP != nil {
		t.Error("a change against nothing must be null")
	}
}

func TestRows(t *testing.T) {
	// Reported Sunday 23:30 UTC = Monday 07:30 in Shanghai; closed 50 h
	// later: late for a critical grid dispute (48 h × 0.25 = 12 h).
	c := historytest.Case{ID: "e1", Kind: event.GridEvent, Category: "dispute", Severity: event.Critical,
		GridID: "g", Street: "s", Address: "  幸福路1号 ", Reported: time.Date(2025, 6, 1, 23, 30, 0, 0, time.UTC),
		Steps: historytest.Lifecycle(50*time.Hour, 4)}
	recs := c.Records()
	for i := range recs {
		recs[i].SetSeq(uint64(i + 1))
	}
	b := history.Rows{Zone: shanghai, SLAs: history.DefaultSLAs}.Batch(recs)
	if len(b.Events) != 1 || b.Len() != len(recs) {
		t.Fatalf("batch: %d events, %d changes", len(b.Events), b.Len())
	}
	e := b.Events[0]
	if e.Day != history.NewDate(2025, 6, 2) || e.Address != "幸福路1号" {
		t.Errorf("event row day %s, address %q", e.Day, e.Address)
	}
	closing := b.Changes[4]
	if !closing.Closing || closing.OnTime || closing.Handling != 50*time.Hour || closing.SLA != 12*time.Hour || closing.Day != e.Day {
		t.Errorf("closing row = %+v", closing)
	}
	if rated := b.Changes[5]; !rated.Rated || !rated.Satisfied || rated.DoneDelta != 0 {
		t.Errorf("rating row = %+v", rated)
	}
	if !b.Changes[0].Reported || b.Changes[1].Reported {
		t.Error("only the first record reports the event")
	}
}

func TestSLAs(t *testing.T) {
	for _, tc := range []struct {
		k    event.Kind
		cat  string
		sev  event.Severity
		want time.Duration
	}{
		{event.Hotline, "labor", event.Medium, 10 * 24 * time.Hour},
		{event.Hotline, "traffic", event.Low, 180 * time.Hour},
		{event.CameraAlert, "fight", event.Critical, 150 * time.Second},
		{event.Kind("new_kind"), "x", event.Medium, 72 * time.Hour},
	} {
		if got := history.DefaultSLAs.For(tc.k, tc.cat, tc.sev); got != tc.want {
			t.Errorf("SLA %s/%s/%s = %v, want %v", tc.k, tc.cat, tc.sev, got, tc.want)
		}
	}
}

func TestRisks(t *testing.T) {
	now := time.Date(2025, 6, 30, 12, 0, 0, 0, time.UTC)
	day := func(n int) time.Time { return now.AddDate(0, 0, -n) }
	load := []history.OpenLoad{
		{GridID: "a", Severity: event.Critical, Open: 1, Overdue: 1},
		{GridID: "b", Severity: event.Low, Open: 2},
	}
	disputes := []history.Occurrence{
		{Place: "c", Times: []time.Time{day(50), day(25), day(20), day(2)}}, // 25, 20 and 2 each follow one within 30 d
		{Place: "d", Times: []time.Time{day(45), day(3)}},                   // 42 days apart: no comeback
	}
	r := history.Risks(load, disputes, now)
	for id, want := range map[string]struct {
		score int64
		level history.RiskLevel
	}{"a": {7, history.RiskMedium}, "b": {2, history.RiskLow}, "c": {9, history.RiskMedium}} {
		if r[id] == nil || r[id].Score != want.score || r[id].Level != want.level {
			t.Errorf("grid %s: %+v, want score %d (%s)", id, r[id], want.score, want.level)
		}
	}
	if r["d"] != nil {
		t.Errorf("grid d scored %+v without a comeback", r["d"])
	}
}

func TestOptionsValidated(t *testing.T) {
	_, err := history.NewWriter(nil, nil, history.Rows{Zone: shanghai},
		history.Options{ClaimIdle: time.Minute, WriteTimeout: 20 * time.Second, RetryMax: 10 * time.Second}, nil)
	if err == nil {
		t.Error("a claim idle shorter than 4 × (write timeout + retry max) was accepted")
	}
}
