package chstore

import (
	"context"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// Occurrences returns the places with at least min events of category in
// p, with their report times, oldest first.
func (s *Store) Occurrences(ctx context.Context, category, street string, p history.Period, at history.Place, least int) ([]history.Occurrence, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	w := newWhere(p).eq("category", category).eq("street_code", street)
	place := "grid_id"
	if at == history.AtAddress {
		place = "address"
		w.conds = append(w.conds, "address != ''")
	}
	w.args = append(w.args, uint64(max(least, 1)))
	rows, err := conn.Query(ctx, "SELECT "+place+" AS place, argMax(grid_id, reported_at), arraySort(groupArray(reported_at)) FROM events WHERE "+
		w.String()+" GROUP BY place HAVING count() >= ?", w.args...)
	if err != nil {
		return nil, queryErr("occurrences", err)
	}
	defer rows.Close()
	var out []history.Occurrence
	for rows.Next() {
		var o history.Occurrence
		if err := rows.Scan(&o.Place, &o.GridID, &o.Times); err != nil {
			return nil, queryErr("occurrences", err)
		}
		out = append(out, o)
	}
	return out, queryErrOrNil("occurrences", rows.Err())
}

// OpenLoad counts the events open now per grid and severity. open_events
// holds +1/−1 per event; the inner GROUP BY finishes what background
// merges have not summed yet.
func (s *Store) OpenLoad(ctx context.Context, now time.Time) ([]history.OpenLoad, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	rows, err := conn.Query(ctx, `SELECT grid_id, severity, count(), countIf(due_at < ?) FROM (
			SELECT grid_id, event_id, any(severity) AS severity, any(due_at) AS due_at, sum(open) AS o
			FROM open_events GROUP BY grid_id, event_id HAVING o > 0)
		GROUP BY grid_id, severity`, now.UTC())
	if err != nil {
		return nil, queryErr("open load", err)
	}
	defer rows.Close()
	var out []history.OpenLoad
	for rows.Next() {
		var l history.OpenLoad
		var sev string
		var open, overdue uint64
		if err := rows.Scan(&l.GridID, &sev, &open, &overdue); err != nil {
			return nil, queryErr("open load", err)
		}
		l.Severity, l.Open, l.Overdue = event.Severity(sev), int64(open), int64(overdue)
		out = append(out, l)
	}
	return out, queryErrOrNil("open load", rows.Err())
}
