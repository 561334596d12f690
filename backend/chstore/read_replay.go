package chstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// replayWhere selects the records of change_log matching f. The window
// bounds their time, not their report day.
func replayWhere(f history.Filter) *where {
	return (&where{}).filter(f)
}

// ReplayCount counts the records of a window.
func (s *Store) ReplayCount(ctx context.Context, f history.Filter, from, to time.Time) (int64, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return 0, err
	}
	w := replayWhere(f)
	w.conds = append(w.conds, "at >= ?", "at < ?")
	w.args = append(w.args, from.UTC(), to.UTC())
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM change_log WHERE "+w.String(), w.args...).Scan(&n); err != nil {
		return 0, queryErr("replay count", err)
	}
	return int64(n), nil
}

// ReplayPage reads up to limit records after the cursor, in (time, seq)
// order, then where their events are. change_log is sorted by (at,
// seq), so the page is a range of its primary key. 18.16 cannot stop
// reading at a LIMIT in key order: it would read and sort the rest of the
// window for every page. So the page's last key is found first, reading
// only the key (and filter) columns, and the rows are then read up to it.
func (s *Store) ReplayPage(ctx context.Context, f history.Filter, after history.ReplayCursor, to time.Time, limit int) ([]history.ReplayItem, error) {
	conn, err := s.ready(ctx)
	if err != nil {
		return nil, err
	}
	w := replayWhere(f)
	w.conds = append(w.conds, "(at > ? OR at = ? AND seq > ?)", "at < ?")
	w.args = append(w.args, after.At.UTC(), after.At.UTC(), after.Seq, to.UTC())
	var lastAt time.Time
	var lastSeq uint64
	err = conn.QueryRow(ctx, "SELECT at, seq FROM change_log WHERE "+w.String()+" ORDER BY at, seq LIMIT 1 OFFSET ?",
		append(w.args, uint64(limit-1))...).Scan(&lastAt, &lastSeq)
	switch {
	case errors.Is(err, sql.ErrNoRows): // fewer than limit: the rest of the window
	case err != nil:
		return nil, queryErr("replay page end", err)
	default:
		w.conds = append(w.conds, "(at < ? OR at = ? AND seq <= ?)")
		w.args = append(w.args, lastAt, lastAt, lastSeq)
	}
	rows, err := conn.Query(ctx, `SELECT at, seq, event_id, from_status, to_status, action, actor, target, kind, category,
		severity, grid_id, street_code, reported FROM change_log WHERE `+w.String()+` ORDER BY at, seq LIMIT ?`,
		append(w.args, uint64(limit))...)
	if err != nil {
		return nil, queryErr("replay", err)
	}
	defer rows.Close()
	var out []history.ReplayItem
	for rows.Next() {
		var it history.ReplayItem
		var from, toStatus, kind, sev string
		var reported uint8
		if err := rows.Scan(&it.At, &it.Seq, &it.EventID, &from, &toStatus, &it.Action, &it.Actor, &it.Target, &kind,
			&it.Category, &sev, &it.GridID, &it.StreetCode, &reported); err != nil {
			return nil, queryErr("replay", err)
		}
		it.At = it.At.UTC()
		it.From, it.To, it.Kind, it.Severity = event.Status(from), event.Status(toStatus), event.Kind(kind), event.Severity(sev)
		it.Type = event.RecordUpdate
		if reported == 1 {
			it.Type = event.RecordEvent
		}
		out = append(out, it)
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr("replay", err)
	}
	ids := make([]string, 0, len(out))
	seen := map[string]bool{}
	for _, it := range out {
		if !seen[it.EventID] {
			seen[it.EventID] = true
			ids = append(ids, it.EventID)
		}
	}
	places, err := placesOf(ctx, conn, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		pl := places[out[i].EventID]
		out[i].Lon, out[i].Lat, out[i].Title, out[i].Address, out[i].CommunityID = pl.lon, pl.lat, pl.title, pl.address, pl.community
	}
	return out, nil
}

// place is where an event is and what it is called.
type place struct {
	lon, lat                  float64
	title, address, community string
}

// placesChunk bounds the ids of one lookup: the IN list is sent as query
// text, and ClickHouse refuses queries longer than max_query_size (256 KiB
// by default); 1,000 UUIDs take about 40 KiB.
const placesChunk = 1000

// placesOf looks the events up in event_places, which is sorted by event
// id: each chunk is a set of primary-key ranges, whenever the events were
// reported. An event missing there (written before its report, which the
// log's order rules out) gets the zero place.
func placesOf(ctx context.Context, conn driver.Conn, ids []string) (map[string]place, error) {
	out := make(map[string]place, len(ids))
	for lo := 0; lo < len(ids); lo += placesChunk {
		chunk := ids[lo:min(lo+placesChunk, len(ids))]
		rows, err := conn.Query(ctx, `SELECT event_id, any(lon), any(lat), any(title), any(address), any(community_id)
			FROM event_places WHERE event_id IN ? GROUP BY event_id`, clickhouse.GroupSet{Value: anySlice(chunk)})
		if err != nil {
			return nil, queryErr("event places", err)
		}
		for rows.Next() {
			var id string
			var p place
			if err := rows.Scan(&id, &p.lon, &p.lat, &p.title, &p.address, &p.community); err != nil {
				rows.Close()
				return nil, queryErr("event places", err)
			}
			out[id] = p
		}
		err = rows.Err()
		rows.Close()
		if err != nil {
			return nil, queryErr("event places", err)
		}
	}
	return out, nil
}

// anySlice converts ids for clickhouse.GroupSet, which renders (a, b, …):
// the only list form 18.16 accepts after IN.
func anySlice(ids []string) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = id
	}
	return out
}
