package chstore

import (
	"context"

	"github.com/gridcc/gridcc/backend/history"
)

// Summonses reads a cohort's whistle-and-report steps from review_changes,
// one row per department: a whistle's target lists every department it
// summoned (comma-separated), so it is split here.
func (s *Store) Summonses(ctx context.Context, f history.Filter, p history.Period) ([]history.SummonsStep, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	w := newWhere(p).filter(f)
	w.conds = append(w.conds, "action IN (?, ?, ?)")
	w.args = append(w.args, history.ActionWhistle, history.ActionCheckIn, history.ActionCheckInMissed)
	rows, err := conn.Query(ctx, `SELECT event_id, dept, seq, at, action FROM (
			SELECT event_id, seq, at, action, arrayJoin(splitByChar(',', target)) AS dept
			FROM review_changes WHERE `+w.String()+`)
		WHERE dept != '' ORDER BY event_id, dept, seq`, w.args...)
	if err != nil {
		return nil, queryErr("summonses", err)
	}
	defer rows.Close()
	var out []history.SummonsStep
	for rows.Next() {
		var st history.SummonsStep
		if err := rows.Scan(&st.EventID, &st.Department, &st.Seq, &st.At, &st.Action); err != nil {
			return nil, queryErr("summonses", err)
		}
		st.At = st.At.UTC()
		out = append(out, st)
	}
	return out, queryErrOrNil("summonses", rows.Err())
}
