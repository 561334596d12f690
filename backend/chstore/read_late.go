package chstore

import (
	"context"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// openOverdueSQL folds a cohort's case states (case_states: rows of an
// event merge into one) down to the open events past their due time: open
// when its report and reopenings outnumber its "done" changes. It reads
// only the two small columns it needs; a page's other columns are read for
// its events alone (caseStates). The aliases differ from every column
// name: ClickHouse aliases are global to a query.
const openOverdueSQL = `SELECT event_id, max(due_at) AS due, sumMerge(open) AS open_n FROM case_states
	WHERE %s GROUP BY event_id HAVING open_n > 0 AND due < ?`

// CountLate counts both late-case lists of a cohort.
func (s *Store) CountLate(ctx context.Context, f history.Filter, p history.Period, now time.Time) (int64, int64, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return 0, 0, err
	}
	w := newWhere(p).filter(f)
	var open, late uint64
	q := "SELECT count() FROM (" + fmtWhere(openOverdueSQL, w) + ")"
	if err := conn.QueryRow(ctx, q, append(w.args, now.UTC())...).Scan(&open); err != nil {
		return 0, 0, queryErr("count open overdue", err)
	}
	lw := newWhere(p).filter(f)
	if err := conn.QueryRow(ctx, "SELECT count() FROM review_changes WHERE "+lw.String()+" AND closing = 1 AND on_time = 0", lw.args...).Scan(&late); err != nil {
		return 0, 0, queryErr("count closed late", err)
	}
	return int64(open), int64(late), nil
}

// LateCases reads one page of a late-case list, then the state now, the
// last dispatch target, the title and the address of its events.
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
	states, err := caseStates(ctx, conn, f, p, ids)
	if err != nil {
		return nil, err
	}
	places, err := placesOf(ctx, conn, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		c := &out[i]
		st, pl := states[c.EventID], places[c.EventID]
		c.Status, c.Assignee = st.status, st.assignee
		if list == history.OpenOverdue {
			c.Kind, c.Category, c.Severity, c.GridID, c.StreetCode, c.ReportedAt = st.kind, st.category, st.severity, st.grid, st.street, st.reportedAt
		}
		c.Title, c.Address, c.CommunityID = pl.title, pl.address, pl.community
	}
	return out, nil
}

// openOverduePage reads the ids and due times of one page of the open and
// overdue events, most overdue first.
func openOverduePage(ctx context.Context, conn driver.Conn, f history.Filter, p history.Period, now time.Time, page history.Page) ([]history.LateCase, error) {
	w := newWhere(p).filter(f)
	args := append(w.args, now.UTC(), uint64(page.Limit), uint64(page.Offset))
	rows, err := conn.Query(ctx, fmtWhere(openOverdueSQL, w)+" ORDER BY due, event_id LIMIT ? OFFSET ?", args...)
	if err != nil {
		return nil, queryErr("open overdue", err)
	}
	defer rows.Close()
	var out []history.LateCase
	for rows.Next() {
		var c history.LateCase
		var open int64
		if err := rows.Scan(&c.EventID, &c.DueAt, &open); err != nil {
			return nil, queryErr("open overdue", err)
		}
		c.DueAt = c.DueAt.UTC()
		c.LateS = int64(now.Sub(c.DueAt) / time.Second)
		out = append(out, c)
	}
	return out, queryErrOrNil("open overdue", rows.Err())
}

// closedLatePage reads one page of the late closings (review_changes),
// most late first.
func closedLatePage(ctx context.Context, conn driver.Conn, f history.Filter, p history.Period, page history.Page) ([]history.LateCase, error) {
	w := newWhere(p).filter(f)
	args := append(w.args, uint64(page.Limit), uint64(page.Offset))
	rows, err := conn.Query(ctx, `SELECT event_id, kind, category, severity, grid_id, street_code, reported_at, due_at, at
		FROM review_changes WHERE `+w.String()+` AND closing = 1 AND on_time = 0
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
	return out, queryErrOrNil("closed late", rows.Err())
}

// caseState is an event's folded case_states row.
type caseState struct {
	kind                   event.Kind
	category               string
	severity               event.Severity
	grid, street, assignee string
	status                 event.Status
	reportedAt             time.Time
}

// caseStates folds the case states of a page's events (at most
// history.MaxPageSize ids, or an export's rows in chunks).
func caseStates(ctx context.Context, conn driver.Conn, f history.Filter, p history.Period, ids []string) (map[string]caseState, error) {
	out := make(map[string]caseState, len(ids))
	for lo := 0; lo < len(ids); lo += placesChunk {
		w := newWhere(p).filter(f)
		w.conds = append(w.conds, "event_id IN ?")
		w.args = append(w.args, clickhouse.GroupSet{Value: anySlice(ids[lo:min(lo+placesChunk, len(ids))])})
		rows, err := conn.Query(ctx, `SELECT event_id, any(kind), any(category), any(severity), any(grid_id), any(street_code),
			min(reported_at), argMaxMerge(status), argMaxIfMerge(assignee) FROM case_states WHERE `+w.String()+` GROUP BY event_id`, w.args...)
		if err != nil {
			return nil, queryErr("case states", err)
		}
		for rows.Next() {
			var id, kind, sev, status string
			var st caseState
			if err := rows.Scan(&id, &kind, &st.category, &sev, &st.grid, &st.street, &st.reportedAt, &status, &st.assignee); err != nil {
				rows.Close()
				return nil, queryErr("case states", err)
			}
			st.kind, st.severity, st.status, st.reportedAt = event.Kind(kind), event.Severity(sev), event.Status(status), st.reportedAt.UTC()
			out[id] = st
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, queryErr("case states", err)
		}
	}
	return out, nil
}

// fmtWhere puts a WHERE clause into a query template's %s.
func fmtWhere(template string, w *where) string {
	return strings.Replace(template, "%s", w.String(), 1)
}
