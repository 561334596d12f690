package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/history"
)

// query is one timed stats question: the code behind one endpoint with
// typical review-meeting parameters, JSON encoding included.
type query struct {
	name, params string
	run          func(ctx context.Context) (any, error)
}

func queries(s *history.Stats) []query {
	today := s.Today()
	lastWeekMon := today.Monday().AddDays(-7)
	y, w := lastWeekMon.ISOWeek()
	week := history.Period{From: lastWeekMon, To: lastWeekMon.AddDays(6), Week: fmt.Sprintf("%04d-W%02d", y, w)}
	last := func(days int) history.Period {
		return history.Period{From: today.AddDays(-days), To: today.AddDays(-1)}
	}
	all := history.Filter{}
	return []query{
		{"summary", "week=" + week.Week + " (vs previous week and a year ago)", func(ctx context.Context) (any, error) {
			return s.Summary(ctx, all, week)
		}},
		{"summary_year", "last 365 days (vs previous 365 and a year ago)", func(ctx context.Context) (any, error) {
			return s.Summary(ctx, all, last(365))
		}},
		{"trend", "last 365 days, weekly, split=category", func(ctx context.Context) (any, error) {
			return s.Trend(ctx, all, last(365), history.Weekly, history.ByCategory, history.DefaultTop)
		}},
		{"trend_grid", "last 90 days, daily, split=grid top 10", func(ctx context.Context) (any, error) {
			return s.Trend(ctx, all, last(90), history.Daily, history.ByGrid, history.DefaultTop)
		}},
		{"hotspots", "last 30 days, level=grid top 10 (vs previous 30)", func(ctx context.Context) (any, error) {
			return s.Hotspots(ctx, all, last(30), history.ByGrid, history.DefaultTop)
		}},
		{"hotspots_category", "last 30 days, category=dispute, level=grid", func(ctx context.Context) (any, error) {
			return s.Hotspots(ctx, history.Filter{Category: "dispute"}, last(30), history.ByGrid, history.DefaultTop)
		}},
		{"recurring", "last 90 days, dispute, at=address, 3 within 30 days", func(ctx context.Context) (any, error) {
			return s.Recurring(ctx, "dispute", "", last(90), history.AtAddress, 3, 30, 50)
		}},
		{"heatmap", "last 30 days, counts per grid", func(ctx context.Context) (any, error) {
			return s.Heatmap(ctx, all, last(30), false)
		}},
		{"heatmap_risk", "last 30 days, with every grid's risk level now", func(ctx context.Context) (any, error) {
			return s.Heatmap(ctx, all, last(30), true)
		}},
		{"overdue", "week=" + week.Week + ", open and overdue, first page of 50, both totals", func(ctx context.Context) (any, error) {
			return s.Overdue(ctx, all, week, history.OpenOverdue, history.Page{Limit: history.DefaultPageSize})
		}},
		{"overdue_closed_late", "week=" + week.Week + ", closed late, first page of 50, both totals", func(ctx context.Context) (any, error) {
			return s.Overdue(ctx, all, week, history.ClosedLate, history.Page{Limit: history.DefaultPageSize})
		}},
		{"checkins", "week=" + week.Week + ", check-ins per department", func(ctx context.Context) (any, error) {
			return s.Checkins(ctx, all, week)
		}},
		{"replay", "the week's Wednesday, first page of 2,000 records", func(ctx context.Context) (any, error) {
			day := history.Period{From: week.From.AddDays(2), To: week.From.AddDays(2)}
			return s.Replay(ctx, history.ReplayQuery{Period: day, Limit: history.DefaultReplayPage})
		}},
		{"replay_week", "week=" + week.Week + ", a page of 2,000 records from Friday noon", func(ctx context.Context) (any, error) {
			return s.Replay(ctx, history.ReplayQuery{Period: week, Limit: history.DefaultReplayPage,
				Since: week.From.AddDays(4).Start(s.Zone()).Add(12 * time.Hour)})
		}},
	}
}

// benchmark times each query runs times after one warm-up, prints a table,
// then one JSON object as the last line.
func benchmark(ctx context.Context, s *history.Stats, res loadResult, runs int, stdout io.Writer) error {
	out := map[string]any{"events": res.events, "records": res.records, "via": res.via}
	if res.writing > 0 {
		out["insert_events_per_s"] = math.Round(float64(res.events) / res.writing.Seconds())
		out["insert_records_per_s"] = math.Round(float64(res.records) / res.writing.Seconds())
	}
	if res.writerHeapMax > 0 {
		out["writer_heap_max_mb"] = math.Round(float64(res.writerHeapMax) / (1 << 20))
	}
	if hwm := vmHWM(); hwm > 0 {
		out["rss_max_mb"] = math.Round(float64(hwm) / 1024)
	}
	fmt.Fprintf(stdout, "\n%-18s %9s %9s %9s  %s\n", "query", "p50 ms", "min ms", "max ms", "parameters")
	for _, q := range queries(s) {
		var times []float64
		for i := 0; i <= runs; i++ {
			start := time.Now()
			v, err := q.run(ctx)
			if err == nil {
				_, err = json.Marshal(v)
			}
			if err != nil {
				return fmt.Errorf("%s: %w", q.name, err)
			}
			if i > 0 { // the first run warms caches
				times = append(times, float64(time.Since(start).Microseconds())/1000)
			}
		}
		sort.Float64s(times)
		p50 := times[len(times)/2]
		fmt.Fprintf(stdout, "%-18s %9.1f %9.1f %9.1f  %s\n", q.name, p50, times[0], times[len(times)-1], q.params)
		out[q.name+"_p50_ms"] = math.Round(p50*10) / 10
	}
	fmt.Fprintf(stdout, "\nloaded %d cases (%d records) via %s", res.events, res.records, res.via)
	if v, ok := out["insert_records_per_s"]; ok {
		fmt.Fprintf(stdout, "; the history writer stored %v records/s (%v cases/s)", v, out["insert_events_per_s"])
	}
	fmt.Fprintln(stdout)
	line, err := json.Marshal(out)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, string(line))
	return nil
}

// vmHWM is the process's peak resident memory in KiB (Linux), 0 if unknown.
func vmHWM() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}
