package chstore

import (
	"context"
	"math"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// where builds a WHERE clause for a period and filter, with client-side
// binds (18.16 has no server-side parameters). Every table queried has the
// columns day, kind, category and street_code it may filter on, except
// grid_daily, which countSource only picks without a kind or category.
type where struct {
	conds []string
	args  []any
}

func newWhere(p history.Period) *where {
	return &where{conds: []string{"day >= toDate(?)", "day <= toDate(?)"}, args: []any{p.From.String(), p.To.String()}}
}

func (w *where) eq(column, value string) *where {
	if value != "" {
		w.conds = append(w.conds, column+" = ?")
		w.args = append(w.args, value)
	}
	return w
}

func (w *where) filter(f history.Filter) *where {
	return w.eq("kind", string(f.Kind)).eq("category", f.Category).eq("street_code", f.Street)
}

func (w *where) in(column string, keys []string) *where {
	if len(keys) > 0 {
		w.conds = append(w.conds, "has(?, "+column+")")
		w.args = append(w.args, keys)
	}
	return w
}

func (w *where) String() string { return strings.Join(w.conds, " AND ") }

// kpiTable is the KPI table for a filter: the per-kind rollup unless the
// filter needs categories or streets.
func kpiTable(f history.Filter) string {
	if f.Category == "" && f.Street == "" {
		return "kpi_daily_kind"
	}
	return "kpi_daily"
}

// Figures reads the KPI counters of a period, per kind, with the
// handling-time quantiles over all kinds from the totals row.
func (s *Store) Figures(ctx context.Context, f history.Filter, p history.Period) (history.Figures, error) {
	out := history.Figures{ByKind: map[event.Kind]int64{}}
	conn, err := s.ready(ctx)
	if err != nil {
		return out, err
	}
	w := newWhere(p).filter(f)
	rows, err := conn.Query(ctx, `SELECT kind, sumMerge(reported), sumMerge(done), sumMerge(closings), sumMerge(on_time),
		sumMerge(ratings), sumMerge(satisfied), quantilesTimingIfMerge(0.5, 0.9)(handling)
		FROM `+kpiTable(f)+` WHERE `+w.String()+` GROUP BY kind WITH TOTALS`, w.args...)
	if err != nil {
		return out, queryErr("figures", err)
	}
	defer rows.Close()
	var (
		kind                                         string
		reported, closings, onTime, rated, satisfied uint64
		done                                         int64
		q                                            []float32
	)
	for rows.Next() {
		if err := rows.Scan(&kind, &reported, &done, &closings, &onTime, &rated, &satisfied, &q); err != nil {
			return out, queryErr("figures", err)
		}
		out.ByKind[event.Kind(kind)] = int64(reported)
	}
	if err := rows.Err(); err != nil {
		return out, queryErr("figures", err)
	}
	if err := rows.Totals(&kind, &reported, &done, &closings, &onTime, &rated, &satisfied, &q); err != nil {
		return out, queryErr("figures totals", err)
	}
	out.Reported, out.Done, out.Closings, out.OnTime = int64(reported), done, int64(closings), int64(onTime)
	out.Ratings, out.Satisfied = int64(rated), int64(satisfied)
	if out.Closings > 0 && len(q) == 2 {
		out.HandlingP50, out.HandlingP90 = handlingSeconds(q[0]), handlingSeconds(q[1])
	}
	return out, nil
}

func handlingSeconds(units float32) *float64 {
	if math.IsNaN(float64(units)) {
		return nil
	}
	v := float64(units) * handlingUnit
	return &v
}

// dimensionColumn is the column of a dimension in every table that has it.
var dimensionColumn = map[history.Dimension]string{
	history.ByKind:     "kind",
	history.ByCategory: "category",
	history.ByStreet:   "street_code",
	history.ByGrid:     "grid_id",
}

// countSource picks the table that answers a count by dimension cheapest:
// the KPI tables for kinds, categories and streets; grid_daily for grids
// without a kind or category filter; the events themselves otherwise
// (their sort key starts with kind and category, so those scans stay
// narrow).
func countSource(f history.Filter, by history.Dimension) (table, count string) {
	switch {
	case by == history.ByKind:
		return kpiTable(f), "sumMerge(reported)"
	case by != history.ByGrid:
		return "kpi_daily", "sumMerge(reported)"
	case f.Kind == "" && f.Category == "":
		return "grid_daily", "sum(n)"
	}
	return "events", "count()"
}

// Counts returns the events of p matching f per value of by.
func (s *Store) Counts(ctx context.Context, f history.Filter, p history.Period, by history.Dimension) (map[string]int64, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	table, count := countSource(f, by)
	col := dimensionColumn[by]
	w := newWhere(p).filter(f)
	rows, err := conn.Query(ctx, "SELECT "+col+", "+count+" FROM "+table+" WHERE "+w.String()+" GROUP BY "+col, w.args...)
	if err != nil {
		return nil, queryErr("counts", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var key string
		var n uint64
		if err := rows.Scan(&key, &n); err != nil {
			return nil, queryErr("counts", err)
		}
		if n > 0 {
			out[key] = int64(n)
		}
	}
	return out, queryErrOrNil("counts", rows.Err())
}

// bucketExpr rounds `day` to a trend bucket; weeks start on Monday.
var bucketExpr = map[history.Granularity]string{
	history.Daily:   "day",
	history.Weekly:  "toMonday(day)",
	history.Monthly: "toStartOfMonth(day)",
}

// Series returns counts per bucket and value of by.
func (s *Store) Series(ctx context.Context, f history.Filter, p history.Period, g history.Granularity, by history.Dimension, keys []string) ([]history.Point, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	table, count := countSource(f, by)
	col := dimensionColumn[by]
	w := newWhere(p).filter(f).in(col, keys)
	rows, err := conn.Query(ctx, "SELECT "+bucketExpr[g]+" AS bucket, "+col+", "+count+" FROM "+table+
		" WHERE "+w.String()+" GROUP BY bucket, "+col, w.args...)
	if err != nil {
		return nil, queryErr("series", err)
	}
	defer rows.Close()
	var out []history.Point
	for rows.Next() {
		var bucket time.Time
		var key string
		var n uint64
		if err := rows.Scan(&bucket, &key, &n); err != nil {
			return nil, queryErr("series", err)
		}
		out = append(out, history.Point{Bucket: history.DateFromTime(bucket), Key: key, Count: int64(n)})
	}
	return out, queryErrOrNil("series", rows.Err())
}

func queryErrOrNil(what string, err error) error {
	if err == nil {
		return nil
	}
	return queryErr(what, err)
}
