package chstore

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// openOverdueSQL groups a cohort's changes by event: open now when its
// report and reopenings outnumber its "done" changes, overdue when the due
// time of its latest change has passed. The aliases differ from every
// column name: ClickHouse aliases are global to a query.
const openOverdueSQL = `SELECT event_id, any(kind), any(category), any(severity), any(grid_id), any(street_code),
	min(reported_at) AS rep_at, argMax(due_at, seq) AS due, argMax(to_status, seq), argMaxIf(target, seq, action = 'dispatch'),
	sum(toInt64(reported)) - sum(toInt64(done_delta)) AS open_n
FROM changes WHERE %s GROUP BY event_id HAVING open_n > 0 AND due < ?`

// CountLate counts both late-case lists of a cohort.
func (s *Store) CountLate(ctx context.Context, f history.Filter, p history.Period, now time.Time) (int64, int64, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return 0, 0, err
	}
	w := newWhere(p).filter(f)
	var open, late uint64
	q := "SELECT count() FROM (" + fmt.Sprintf(openOverdueSQL, w.String()) + ")"
	if err := conn.QueryRow(ctx, q, append(w.args, now.UTC())...).Scan(&open); err != nil {
		return 0, 0, queryErr("count open overdue", err)
	}
	lw := newWhere(p).filter(f)
	if err := conn.QueryRow(ctx, "SELECT count() FROM changes WHERE "+lw.String()+" AND closing = 1 AND on_time = 0", lw.args...).Scan(&late); err != nil {
		return 0, 0, queryErr("count closed late", err)
	}
	return int64(open), int64(late), nil
}

// LateCases reads one page of a late-case list, then the titles and
// addresses of its events.
func (s *Store) LateCases(ctx context.Context, f history.Filter, p history.Period, list history.CaseList, now time.Time, page history.Page) ([]history.LateCase, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	var out []history.LateCase
	if list == history.ClosedLate {
		out, err = closedLatePage(ctx, conn, f, p, page)
	} else {
		out, err = openOverduePage(ctx, conn, f, p, now, page)
	}
	if err != nil || len(out) == 0 {
		return out, err
	}
	ids := make([]string, len(out))
	for i, c := range out {
		ids[i] = c.EventID
	}
	places, err := placesOf(ctx, conn, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		pl := places[out[i].EventID]
		out[i].Title, out[i].Address, out[i].CommunityID = pl.title, pl.address, pl.community
	}
	return out, nil
}

func openOverduePage(ctx context.Context, conn driver.Conn, f history.Filter, p history.Period, now time.Time, page history.Page) ([]history.LateCase, error) {
	w := newWhere(p).filter(f)
	args := append(w.args, now.UTC(), uint64(page.Limit), uint64(page.Offset))
	rows, err := conn.Query(ctx, fmt.Sprintf(openOverdueSQL, w.String())+" ORDER BY due, event_id LIMIT ? OFFSET ?", args...)
	if err != nil {
		return nil, queryErr("open overdue", err)
	}
	defer rows.Close()
	var out []history.LateCase
	for rows.Next() {
		var c history.LateCase
		var kind, sev, status string
		var open int64
		if err := rows.Scan(&c.EventID, &kind, &c.Category, &sev, &c.GridID, &c.StreetCode, &c.ReportedAt, &c.DueAt,
			&status, &c.Assignee, &open); err != nil {
			return nil, queryErr("open overdue", err)
		}
		c.Kind, c.Severity, c.Status = event.Kind(kind), event.Severity(sev), event.Status(status)
		c.ReportedAt, c.DueAt = c.ReportedAt.UTC(), c.DueAt.UTC()
		c.LateS = int64(now.Sub(c.DueAt) / time.Second)
		out = append(out, c)
	}
	return out, queryErrOrNil("open overdue", rows.Err())
}

// closedLatePage reads the late closings, then each event's state now and
// last dispatch target.
func closedLatePage(ctx context.Context, conn driver.Conn, f history.Filter, p history.Period, page history.Page) ([]history.LateCase, error) {
	w := newWhere(p).filter(f)
	args := append(w.args, uint64(page.Limit), uint64(page.Offset))
	rows, err := conn.Query(ctx, `SELECT event_id, kind, category, severity, grid_id, street_code, reported_at, due_at, at
		FROM changes WHERE `+w.String()+` AND closing = 1 AND on_time = 0
		ORDER BY toInt64(at) - toInt64(due_at) DESC, event_id, at LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, queryErr("closed late", err)
	}
	defer rows.Close()
	var out []history.LateCase
	for rows.Next() {
		var c history.LateCase
		var kind, sev string
		var closed time.Time
		if err := rows.Scan(&c.EventID, &kind, &c.Category, &sev, &c.GridID, &c.StreetCode, &c.ReportedAt, &c.DueAt, &closed); err != nil {
			return nil, queryErr("closed late", err)
		}
		c.Kind, c.Severity = event.Kind(kind), event.Severity(sev)
		c.ReportedAt, c.DueAt, closed = c.ReportedAt.UTC(), c.DueAt.UTC(), closed.UTC()
		c.ClosedAt = &closed
		c.LateS = int64(closed.Sub(c.DueAt) / time.Second)
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr("closed late", err)
	}
	if len(out) == 0 {
		return out, nil
	}
	ids := make([]string, len(out))
	for i, c := range out {
		ids[i] = c.EventID
	}
	sw := newWhere(p).filter(f)
	sw.conds = append(sw.conds, "event_id IN ?")
	sw.args = append(sw.args, clickhouse.GroupSet{Value: anySlice(ids)})
	srows, err := conn.Query(ctx, `SELECT event_id, argMax(to_status, seq), argMaxIf(target, seq, action = 'dispatch')
		FROM changes WHERE `+sw.String()+` GROUP BY event_id`, sw.args...)
	if err != nil {
		return nil, queryErr("closed late states", err)
	}
	defer srows.Close()
	type state struct{ status, assignee string }
	states := map[string]state{}
	for srows.Next() {
		var id string
		var st state
		if err := srows.Scan(&id, &st.status, &st.assignee); err != nil {
			return nil, queryErr("closed late states", err)
		}
		states[id] = st
	}
	for i := range out {
		st := states[out[i].EventID]
		out[i].Status, out[i].Assignee = event.Status(st.status), st.assignee
	}
	return out, queryErrOrNil("closed late states", srows.Err())
}
