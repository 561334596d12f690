package chstore_test

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// week23 is ISO week 2025-W23, Monday 2 June to Sunday 8 June.
var week23 = history.Period{From: history.NewDate(2025, 6, 2), To: history.NewDate(2025, 6, 8), Week: "2025-W23"}

// reviewCases is a week of cases with hand-computed KPIs (see TestReader).
func reviewCases() []historytest.Case {
	mon := time.Date(2025, 6, 2, 9, 0, 0, 0, shanghai)
	c := func(id string, k event.Kind, cat, grid, street string, at time.Time, steps []historytest.Step) historytest.Case {
		return historytest.Case{ID: id, Kind: k, Category: cat, Severity: event.Medium, GridID: grid, Street: street,
			Address: "幸福小区3号楼", Reported: at, Steps: steps}
	}
	var out []historytest.Case
	for i, r := range []uint8{5, 5, 4, 2} { // A: four disputes closed in 2 h, rated
		out = append(out, c("A"+string(rune('0'+i)), event.Hotline, "dispute", "g-0", "s-1",
			mon.Add(time.Duration(i)*time.Hour), historytest.Lifecycle(2*time.Hour, r)))
	}
	out = append(out,
		// B: one closed late (SLA of a medium grid event: 72 h), one still open.
		c("B0", event.GridEvent, "environment", "g-1", "s-2", mon, historytest.Lifecycle(100*time.Hour, 0)),
		c("B1", event.GridEvent, "environment", "g-1", "s-2", mon, nil),
		// C: a camera alert acknowledged after 5 minutes.
		c("C0", event.CameraAlert, "crowd", "g-1", "s-2", mon, []historytest.Step{{After: 5 * time.Minute, To: event.Acknowledged, Action: "ack"}}),
		// D: reported Sunday 17:30 UTC, which is Monday 01:30 in the district.
		c("D0", event.Hotline, "dispute", "g-0", "s-1", time.Date(2025, 6, 1, 17, 30, 0, 0, time.UTC), historytest.Lifecycle(2*time.Hour, 0)),
		// E: closed, reopened, closed again: done once, two closings.
		c("E0", event.Hotline, "housing", "g-2", "s-1", mon, []historytest.Step{
			{After: time.Hour, To: event.Closed, Action: "close"},
			{After: 2 * time.Hour, To: event.Reopened, Action: "reopen"},
			{After: 3 * time.Hour, To: event.Closed, Action: "close"}}),
		// F: a duplicate merged into another case: done, but no closing.
		c("F0", event.GridEvent, "dispute", "g-2", "s-1", mon, []historytest.Step{{After: 10 * time.Minute, To: event.Merged, Action: "merge"}}),
	)
	// Two disputes the week before, five the same week a year earlier.
	out = append(out, historytest.Many(2, "prev", event.Hotline, "dispute", mon.AddDate(0, 0, -6), time.Hour, 5)...)
	out = append(out, historytest.Many(5, "yago", event.Hotline, "dispute", time.Date(2024, 6, 4, 9, 0, 0, 0, shanghai), time.Hour, 5)...)
	return out
}

// mustReviewStore returns a store holding reviewCases.
func mustReviewStore(t *testing.T) *chstore.Store {
	t.Helper()
	s, _ := mustStore(t)
	if _, err := s.Write(testsvc.Context(t), batchOf(reviewCases(), 1)); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestReader(t *testing.T) {
	s := mustReviewStore(t)
	ctx := testsvc.Context(t)

	t.Run("Figures_OK", func(t *testing.T) {
		f, err := s.Figures(ctx, history.Filter{}, week23)
		if err != nil {
			t.Fatal(err)
		}
		want := history.Figures{Reported: 10, Done: 9, Closings: 9, OnTime: 8, Ratings: 4, Satisfied: 3}
		if f.Reported != want.Reported || f.Done != want.Done || f.Closings != want.Closings ||
			f.OnTime != want.OnTime || f.Ratings != want.Ratings || f.Satisfied != want.Satisfied {
			t.Errorf("counts = %+v, want %+v", f, want)
		}
		if f.ByKind[event.Hotline] != 6 || f.ByKind[event.GridEvent] != 3 || f.ByKind[event.CameraAlert] != 1 {
			t.Errorf("by kind = %v, want hotline 6, grid_event 3, camera_alert 1", f.ByKind)
		}
		// Handling times: 5 min, 1 h, 2 h ×5, 3 h, 100 h.
		if f.HandlingP50 == nil || *f.HandlingP50 != 7200 || f.HandlingP90 == nil || *f.HandlingP90 != 360000 {
			t.Errorf("handling p50, p90 = %v, %v; want 7200 s, 360000 s", deref(f.HandlingP50), deref(f.HandlingP90))
		}
	})

	t.Run("Figures_filtered", func(t *testing.T) {
		f, err := s.Figures(ctx, history.Filter{Kind: event.Hotline, Category: "dispute", Street: "s-1"}, week23)
		if err != nil {
			t.Fatal(err)
		}
		if f.Reported != 5 || f.Done != 5 || f.Ratings != 4 {
			t.Errorf("hotline disputes in s-1: %+v, want 5 reported, 5 done, 4 ratings", f)
		}
	})

	t.Run("Figures_emptyPeriod", func(t *testing.T) {
		f, err := s.Figures(ctx, history.Filter{}, history.Period{From: history.NewDate(2020, 1, 1), To: history.NewDate(2020, 1, 7)})
		if err != nil || f.Reported != 0 || f.HandlingP50 != nil {
			t.Errorf("empty period: %+v, %v; want zero figures and no handling time", f, err)
		}
	})

	t.Run("Counts_byStreetGridAndFilteredGrid", func(t *testing.T) {
		for _, tc := range []struct {
			f    history.Filter
			by   history.Dimension
			want map[string]int64
		}{
			{history.Filter{}, history.ByStreet, map[string]int64{"s-1": 7, "s-2": 3}},
			{history.Filter{}, history.ByGrid, map[string]int64{"g-0": 5, "g-1": 3, "g-2": 2}},
			{history.Filter{Category: "dispute"}, history.ByGrid, map[string]int64{"g-0": 5, "g-2": 1}},
			{history.Filter{}, history.ByKind, map[string]int64{"hotline": 6, "grid_event": 3, "camera_alert": 1}},
		} {
			got, err := s.Counts(ctx, tc.f, week23, tc.by)
			if err != nil {
				t.Fatal(err)
			}
			if !equalInts(got, tc.want) {
				t.Errorf("counts by %s with %+v = %v, want %v", tc.by, tc.f, got, tc.want)
			}
		}
	})

	t.Run("Series_daysAreLocal", func(t *testing.T) {
		pts, err := s.Series(ctx, history.Filter{}, week23, history.Daily, history.ByKind, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range pts {
			if p.Bucket != history.NewDate(2025, 6, 2) {
				t.Errorf("point %+v: every event of the week was reported on Monday 2 June, district time", p)
			}
		}
		weeks, err := s.Series(ctx, history.Filter{}, history.Period{From: history.NewDate(2025, 5, 26), To: week23.To}, history.Weekly, history.ByGrid, []string{"g-0"})
		if err != nil {
			t.Fatal(err)
		}
		got := map[history.Date]int64{}
		for _, p := range weeks {
			if p.Key != "g-0" {
				t.Errorf("point %+v: only g-0 was asked for", p)
			}
			got[p.Bucket] += p.Count
		}
		if got[history.NewDate(2025, 6, 2)] != 5 || got[history.NewDate(2025, 5, 26)] != 1 {
			t.Errorf("weekly g-0 = %v, want 2025-05-26: 1, 2025-06-02: 5", got)
		}
	})

	t.Run("Occurrences_OK", func(t *testing.T) {
		occ, err := s.Occurrences(ctx, "dispute", "", week23, history.AtGrid, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(occ) != 1 || occ[0].Place != "g-0" || len(occ[0].Times) != 5 {
			t.Fatalf("occurrences = %+v, want g-0 with 5 times", occ)
		}
		for i := 1; i < len(occ[0].Times); i++ {
			if occ[0].Times[i].Before(occ[0].Times[i-1]) {
				t.Errorf("times not sorted: %v", occ[0].Times)
			}
		}
		byAddr, err := s.Occurrences(ctx, "dispute", "s-1", week23, history.AtAddress, 2)
		if err != nil || len(byAddr) != 1 || byAddr[0].Place != "幸福小区3号楼" {
			t.Errorf("by address = %+v, %v", byAddr, err)
		}
	})

	t.Run("OpenLoad_OK", func(t *testing.T) {
		load, err := s.OpenLoad(ctx, time.Date(2025, 6, 10, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		want := []history.OpenLoad{{GridID: "g-1", Severity: event.Medium, Open: 1, Overdue: 1}}
		if len(load) != 1 || load[0] != want[0] {
			t.Errorf("open load = %+v, want %+v", load, want)
		}
	})
}

func deref(p *float64) any {
	if p == nil {
		return nil
	}
	return *p
}

func equalInts(a, b map[string]int64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
