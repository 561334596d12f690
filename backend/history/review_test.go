package history_test

import (
	"errors"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/testsvc"
)

func TestOverdue(t *testing.T) {
	s := mustStats(t)
	ctx := testsvc.Context(t)
	week := history.Period{From: history.NewDate(2025, 6, 2), To: history.NewDate(2025, 6, 8), Week: "2025-W23"}

	t.Run("OK_closedLateExplainsTheOnTimeRate", func(t *testing.T) {
		sum, err := s.Summary(ctx, history.Filter{}, week)
		if err != nil {
			t.Fatal(err)
		}
		l, err := s.Overdue(ctx, history.Filter{}, week, history.ClosedLate, history.Page{Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		f := sum.Current.Figures
		if l.ClosedLate != f.Closings-f.OnTime || l.Total() != 12 || len(l.Items) != 5 {
			t.Errorf("closed late %d (page %d), want closings − on time = %d", l.ClosedLate, len(l.Items), f.Closings-f.OnTime)
		}
		for _, it := range l.Items {
			if it.LateS != 8*3600 { // 80 h against 72 h
				t.Errorf("%s late %d s, want 8 h", it.EventID, it.LateS)
			}
		}
	})

	t.Run("OK_openOverdueJudgedNow", func(t *testing.T) {
		// The six open housing requests of Thursday are due a week later.
		l, err := s.Overdue(ctx, history.Filter{}, week, history.OpenOverdue, history.Page{Limit: 50})
		if err != nil || l.OpenOverdue != 0 || len(l.Items) != 0 {
			t.Fatalf("on the Monday after: %d open overdue, %v; want none yet", l.OpenOverdue, err)
		}
		history.SetClockForTest(s, func() time.Time { return monday.AddDate(0, 0, 11) })
		defer history.SetClockForTest(s, func() time.Time { return monday.AddDate(0, 0, 7) })
		l, err = s.Overdue(ctx, history.Filter{}, week, history.OpenOverdue, history.Page{Limit: 50})
		if err != nil || l.OpenOverdue != 6 || len(l.Items) != 6 || l.Items[0].LateS != 24*3600 {
			t.Errorf("four days later: %+v, %v; want 6 open overdue by a day", l, err)
		}
	})
}

func TestReplay(t *testing.T) {
	s := mustStats(t)
	ctx := testsvc.Context(t)
	day := history.Period{From: history.NewDate(2025, 6, 2), To: history.NewDate(2025, 6, 2)}

	t.Run("OK_pagesCoverTheWindowOnce", func(t *testing.T) {
		q := history.ReplayQuery{Period: day, Limit: 7}
		first, err := s.Replay(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		from, to := s.Window(day)
		if first.Total == 0 || !first.From.Equal(from) || first.To.Sub(first.From) != 24*time.Hour || first.Next == "" {
			t.Fatalf("first page: total %d, window %v–%v, next %q", first.Total, first.From, first.To, first.Next)
		}
		seen := map[uint64]bool{}
		var last time.Time
		for page := first; ; {
			for _, it := range page.Items {
				if seen[it.Seq] || it.At.Before(last) || it.At.Before(from) || !it.At.Before(to) {
					t.Fatalf("item %+v repeated, out of order or outside the window", it)
				}
				seen[it.Seq], last = true, it.At
			}
			if page.Next == "" {
				break
			}
			cur, err := history.ParseReplayCursor("after", page.Next)
			if err != nil {
				t.Fatal(err)
			}
			q.After = &cur
			if page, err = s.Replay(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		if int64(len(seen)) != first.Total {
			t.Errorf("pages held %d records, total says %d", len(seen), first.Total)
		}
	})

	t.Run("OK_since", func(t *testing.T) {
		since := monday.Add(2 * time.Hour)
		r, err := s.Replay(ctx, history.ReplayQuery{Period: day, Since: since, Limit: 1000})
		if err != nil || len(r.Items) == 0 || r.Items[0].At.Before(since) {
			t.Errorf("since %v: %d items, first %v, %v", since, len(r.Items), r.Items, err)
		}
	})

	for _, tc := range []struct {
		name, field string
		q           history.ReplayQuery
	}{
		{"ErrLongerThanAWeek", "from", history.ReplayQuery{Period: history.Period{From: day.From, To: day.From.AddDays(7)}, Limit: 10}},
		{"ErrSinceOutsideTheWindow", "since", history.ReplayQuery{Period: day, Since: monday.AddDate(0, 0, 1), Limit: 10}},
		{"ErrCursorOutsideTheWindow", "after", history.ReplayQuery{Period: day, After: &history.ReplayCursor{At: monday.AddDate(0, 0, -3)}, Limit: 10}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Replay(ctx, tc.q)
			var e *apperr.Error
			if !errors.As(err, &e) || e.Code != apperr.Invalid || e.Field != tc.field {
				t.Errorf("err = %v, want invalid on %s", err, tc.field)
			}
		})
	}
}
