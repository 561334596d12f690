package chstore

import (
	"context"
	"strings"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// The history search reads the events table: it has the title, address and
// source id the text is matched against, and its day column bounds the
// scan to the period's partitions. No index helps a substring anywhere in
// a title, so the period's rows that pass the filter and scope are read
// whole (two string columns); a year of the district's cases, about 40,000,
// is a few megabytes.

// searchWhere selects the events of q: the period, filter and scope, and
// the text as part of the title (or the address, when q allows it) in any
// case, or as the whole event or source id. The text is a bound argument
// everywhere, never part of the query text.
// positionCaseInsensitiveUTF8 folds Latin and Cyrillic case; CJK has none.
func searchWhere(q history.SearchQuery) *where {
	w := newWhere(q.Period).filter(q.Filter).scoped("street_code", q.Scope.Streets).scoped("community_id", q.Scope.Communities)
	match := []string{"positionCaseInsensitiveUTF8(title, ?) > 0"}
	if q.Addresses {
		match = append(match, "positionCaseInsensitiveUTF8(address, ?) > 0")
	}
	match = append(match, "event_id = ?", "source_id = ?")
	w.conds = append(w.conds, "("+strings.Join(match, " OR ")+")")
	for range match {
		w.args = append(w.args, q.Text)
	}
	return w
}

// scoped limits column to keys: nil does not restrict, an empty list
// passes nothing (a scope that names no place sees no case).
func (w *where) scoped(column string, keys []string) *where {
	if keys != nil && len(keys) == 0 {
		w.conds = append(w.conds, "0")
		return w
	}
	return w.in(column, keys)
}

// SearchCount counts the events of q, reading no further than upTo
// matches (the inner LIMIT ends the scan there).
func (s *Store) SearchCount(ctx context.Context, q history.SearchQuery, upTo int64) (int64, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return 0, err
	}
	w := searchWhere(q)
	var n uint64
	err = conn.QueryRow(ctx, "SELECT count() FROM (SELECT 1 FROM events WHERE "+w.String()+" LIMIT ?)",
		append(w.args, uint64(max(upTo, 0)))...).Scan(&n)
	if err != nil {
		return 0, queryErr("search count", err)
	}
	return int64(n), nil
}

// SearchPage reads one page of the events of q, newest report first, then
// their state now and last dispatch target from case_states.
func (s *Store) SearchPage(ctx context.Context, q history.SearchQuery) ([]history.CaseRow, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	w := searchWhere(q)
	rows, err := conn.Query(ctx, `SELECT event_id, kind, category, severity, title, address, grid_id, community_id, street_code, reported_at
		FROM events WHERE `+w.String()+` ORDER BY reported_at DESC, event_id LIMIT ? OFFSET ?`,
		append(w.args, uint64(q.Page.Limit), uint64(q.Page.Offset))...)
	if err != nil {
		return nil, queryErr("search", err)
	}
	defer rows.Close()
	var out []history.CaseRow
	for rows.Next() {
		var f history.CaseRow
		var kind, sev string
		if err := rows.Scan(&f.EventID, &kind, &f.Category, &sev, &f.Title, &f.Address, &f.GridID, &f.CommunityID,
			&f.StreetCode, &f.ReportedAt); err != nil {
			return nil, queryErr("search", err)
		}
		f.Kind, f.Severity, f.ReportedAt = event.Kind(kind), event.Severity(sev), f.ReportedAt.UTC()
		out = append(out, f)
	}
	if err := rows.Err(); err != nil || len(out) == 0 {
		return out, queryErrOrNil("search", err)
	}
	ids := make([]string, len(out))
	for i, f := range out {
		ids[i] = f.EventID
	}
	// Newest first: the page's cases were reported from its last row's
	// day to its first's, and case_states is sorted by report day, so
	// their states are looked up in those days, not the whole period.
	days := history.Period{From: history.DateOf(out[len(out)-1].ReportedAt, s.zone), To: history.DateOf(out[0].ReportedAt, s.zone)}
	states, err := caseStates(ctx, conn, q.Filter, days, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		st := states[out[i].EventID]
		out[i].Status, out[i].Assignee = st.status, st.assignee
	}
	return out, nil
}
