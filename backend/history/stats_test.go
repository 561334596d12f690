package history_test

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// mustStats returns stats over a store holding mixedCases, on the Monday
// after their week.
func mustStats(t *testing.T) *history.Stats {
	t.Helper()
	p := mustPipeline(t, testsvc.ClickHouseDatabase(t))
	var recs []event.Record
	for _, c := range mixedCases() {
		recs = append(recs, c.Records()...)
	}
	for i := range recs {
		recs[i].SetSeq(uint64(i + 1))
	}
	if _, err := p.store.Write(testsvc.Context(t), history.Rows{Zone: shanghai, SLAs: history.DefaultSLAs}.Batch(recs)); err != nil {
		t.Fatal(err)
	}
	s := history.NewStats(p.store, shanghai)
	history.SetClockForTest(s, func() time.Time { return monday.AddDate(0, 0, 7) })
	return s
}

func TestStats(t *testing.T) {
	s := mustStats(t)
	ctx := testsvc.Context(t)
	week := history.Period{From: history.NewDate(2025, 6, 2), To: history.NewDate(2025, 6, 8), Week: "2025-W23"}

	t.Run("Summary_comparesWithPreviousAndYearAgo", func(t *testing.T) {
		sum, err := s.Summary(ctx, history.Filter{}, week)
		if err != nil {
			t.Fatal(err)
		}
		cur := sum.Current.Figures
		if cur.Reported != 56 || cur.ByKind[event.Warning] != 0 || cur.ClosureRate == nil || *cur.ClosureRate != 50.0/56 {
			t.Errorf("current = %+v", cur)
		}
		if sum.Previous.Period.Week != "2025-W22" || sum.Previous.Figures.Reported != 10 || sum.YearAgo.Figures.Reported != 10 {
			t.Errorf("previous %+v, year ago %+v", sum.Previous, sum.YearAgo)
		}
		if sum.VsPrevious.ReportedPct == nil || *sum.VsPrevious.ReportedPct != 460 {
			t.Errorf("vs previous = %v, want +460 %%", sum.VsPrevious.ReportedPct)
		}
		if *cur.OnTimeRate != 38.0/50 { // the 12 grid events closed after 80 h > 72 h
			t.Errorf("on-time rate = %v, want 38/50", *cur.OnTimeRate)
		}
	})

	t.Run("Trend_everyBucketPresent", func(t *testing.T) {
		p := history.Period{From: history.NewDate(2025, 5, 1), To: history.NewDate(2025, 6, 30)}
		tr, err := s.Trend(ctx, history.Filter{}, p, history.Weekly, history.ByCategory, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(tr.Buckets) != 10 || len(tr.Series) != 4 || tr.Series[0].Key != "dispute" || tr.Series[0].Label != "矛盾纠纷" {
			t.Fatalf("trend: %d buckets, series %+v", len(tr.Buckets), tr.Series)
		}
		for _, se := range tr.Series {
			if len(se.Counts) != len(tr.Buckets) {
				t.Errorf("series %s has %d counts for %d buckets", se.Key, len(se.Counts), len(tr.Buckets))
			}
		}
		grids, err := s.Trend(ctx, history.Filter{}, p, history.Monthly, history.ByGrid, 2)
		if err != nil || len(grids.Series) != 2 {
			t.Errorf("top-2 grid trend: %+v, %v", grids.Series, err)
		}
	})

	t.Run("Hotspots_rankedWithChange", func(t *testing.T) {
		h, err := s.Hotspots(ctx, history.Filter{}, week, history.ByStreet, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Items) != 2 || h.Items[0].Key != "s-1" || h.Items[0].Count != 50 || h.Items[0].Previous != 10 ||
			*h.Items[0].ChangePct != 400 || h.Items[1].ChangePct != nil {
			t.Errorf("hotspots = %+v", h.Items)
		}
	})

	t.Run("Recurring_longTermCareList", func(t *testing.T) {
		p := history.Period{From: history.NewDate(2025, 5, 1), To: history.NewDate(2025, 6, 30)}
		r, err := s.Recurring(ctx, "dispute", "", p, history.AtAddress, 3, 30, 50)
		if err != nil {
			t.Fatal(err)
		}
		if len(r.Items) != 2 || r.Items[0].MaxInWindow != 20 {
			t.Errorf("recurring = %+v", r.Items)
		}
	})

	t.Run("Heatmap_withRisk", func(t *testing.T) {
		h, err := s.Heatmap(ctx, history.Filter{}, week, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(h.Cells) != 3 || h.Max == 0 {
			t.Fatalf("heatmap = %+v", h)
		}
		var open int64
		for _, c := range h.Cells {
			if c.Risk != nil {
				open += c.Risk.Open
			}
		}
		if open != 6 {
			t.Errorf("open events in the risk scores = %d, want 6", open)
		}
	})
}
