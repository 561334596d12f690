package chstore

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/gridcc/gridcc/backend/history"
)

// Write stores the rows of b that are not stored yet (history.Store).
//
// Exactly once: plain MergeTree keeps every row it is sent, and each
// materialized view adds every inserted row to its aggregates, so a batch
// delivered twice would count twice. Write therefore asks first which of
// the batch's seqs each base table has (change_log within the batch's
// times, events within its days: both are small range reads of their
// sort keys), and sends only the others. Each table is checked on its own,
// so when one insert succeeded and the other failed, the retry sends only
// what is missing.
// The aggregates hang off the base tables, so they see each record once
// too.
//
// The check-then-insert is not atomic: two inserts of the same seqs at the
// same moment would both store them. An attempt given up on by its writer
// may still be running in ClickHouse, so Write first waits for it
// (awaitEarlierInserts); two writers never hold the same record at once
// (a record is only taken over after ClaimIdle without a touch; see
// history.Writer.write and docs/history.md).
func (s *Store) Write(ctx context.Context, b history.Batch) (int, error) {
	if b.Len() == 0 {
		return 0, nil
	}
	conn, err := s.ready(ctx)
	if err != nil {
		return 0, err
	}
	lo, hi := seqRange(b.Changes)
	if err := awaitEarlierInserts(ctx, conn, lo, hi); err != nil {
		return 0, err
	}
	haveChanges, err := storedChanges(ctx, conn, b.Changes, lo, hi)
	if err != nil {
		return 0, err
	}
	haveEvents, err := storedEvents(ctx, conn, b.Events)
	if err != nil {
		return 0, err
	}
	events := make([]history.EventRow, 0, len(b.Events))
	for _, e := range b.Events {
		if !haveEvents[e.Seq] {
			events = append(events, e)
		}
	}
	changes := make([]history.ChangeRow, 0, len(b.Changes))
	for _, c := range b.Changes {
		if !haveChanges[c.Seq] {
			changes = append(changes, c)
		}
	}
	// The two inserts are independent (each table was checked on its own),
	// so they run side by side: on a busy machine that nearly halves the
	// time a batch takes.
	var evErr error
	var wg sync.WaitGroup
	wg.Go(func() { evErr = insertEvents(withInsertID(ctx, "events", lo, hi), conn, events) })
	chErr := insertChanges(withInsertID(ctx, "change_log", lo, hi), conn, changes)
	wg.Wait()
	if err := errors.Join(evErr, chErr); err != nil {
		return 0, err
	}
	return len(changes), nil
}

// storedChanges reads the seqs of rows (seqs lo … hi) that change_log has.
// A change's time never changes with its seq, so the batch's range of
// times (stored in whole seconds) holds every one of them.
func storedChanges(ctx context.Context, conn driver.Conn, rows []history.ChangeRow, lo, hi uint64) (map[uint64]bool, error) {
	first, last := rows[0].At.Unix(), rows[0].At.Unix()
	for _, r := range rows {
		first, last = min(first, r.At.Unix()), max(last, r.At.Unix())
	}
	return seqSet(ctx, conn, "SELECT seq FROM change_log WHERE at >= toDateTime(?) AND at <= toDateTime(?) AND seq >= ? AND seq <= ?",
		first, last, lo, hi)
}

// seqRange is the lowest and highest seq of rows (not empty). A batch's
// events are the reports among its changes, so this range holds them too.
func seqRange(rows []history.ChangeRow) (lo, hi uint64) {
	lo, hi = rows[0].Seq, rows[0].Seq
	for _, r := range rows {
		lo, hi = min(lo, r.Seq), max(hi, r.Seq)
	}
	return lo, hi
}

func storedEvents(ctx context.Context, conn driver.Conn, rows []history.EventRow) (map[uint64]bool, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	lo, hi := rows[0].Seq, rows[0].Seq
	first, last := rows[0].Day, rows[0].Day
	for _, r := range rows {
		lo, hi = min(lo, r.Seq), max(hi, r.Seq)
		if r.Day.Before(first) {
			first = r.Day
		}
		if r.Day.After(last) {
			last = r.Day
		}
	}
	return seqSet(ctx, conn, "SELECT seq FROM events WHERE day >= toDate(?) AND day <= toDate(?) AND seq >= ? AND seq <= ?",
		first.String(), last.String(), lo, hi)
}

func seqSet(ctx context.Context, conn driver.Conn, query string, args ...any) (map[uint64]bool, error) {
	rows, err := conn.Query(ctx, query, args...)
	if err != nil {
		return nil, queryErr("read stored seqs", err)
	}
	defer rows.Close()
	out := map[uint64]bool{}
	for rows.Next() {
		var seq uint64
		if err := rows.Scan(&seq); err != nil {
			return nil, queryErr("read stored seqs", err)
		}
		out[seq] = true
	}
	if err := rows.Err(); err != nil {
		return nil, queryErr("read stored seqs", err)
	}
	return out, nil
}

// columns appends whole columns to a batch: far faster than row appends,
// and the column list in the INSERT and the appends sit side by side.
type columns struct {
	batch driver.Batch
	i     int
	err   error
}

func (c *columns) add(values any) {
	if c.err == nil {
		c.err = c.batch.Column(c.i).Append(values)
	}
	c.i++
}

func insertEvents(ctx context.Context, conn driver.Conn, rows []history.EventRow) error {
	if len(rows) == 0 {
		return nil
	}
	batch, err := conn.PrepareBatch(ctx, `INSERT INTO events (seq, event_id, kind, source, source_id, category, severity,
		title, address, lon, lat, grid_id, community_id, street_code, camera_id, sensor_id, occurred_at, reported_at, day)`)
	if err != nil {
		return queryErr("prepare events insert", err)
	}
	defer batch.Abort()
	n := len(rows)
	seq, lon, lat := make([]uint64, n), make([]float64, n), make([]float64, n)
	occurred, reported, day := make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
	strs := make([][]string, 13)
	for i := range strs {
		strs[i] = make([]string, n)
	}
	for i, r := range rows {
		seq[i], lon[i], lat[i] = r.Seq, r.Lon, r.Lat
		occurred[i], reported[i], day[i] = r.OccurredAt, r.ReportedAt, r.Day.Time()
		for j, v := range []string{r.ID, string(r.Kind), r.Source, r.SourceID, r.Category, string(r.Severity),
			r.Title, r.Address, r.GridID, r.CommunityID, r.StreetCode, r.CameraID, r.SensorID} {
			strs[j][i] = v
		}
	}
	c := &columns{batch: batch}
	c.add(seq)
	for _, s := range strs[:8] { // event_id … address
		c.add(s)
	}
	c.add(lon)
	c.add(lat)
	for _, s := range strs[8:] { // grid_id … sensor_id
		c.add(s)
	}
	c.add(occurred)
	c.add(reported)
	c.add(day)
	if c.err != nil {
		return fmt.Errorf("chstore: append events: %w", c.err)
	}
	if err := batch.Send(); err != nil {
		return queryErr("insert events", err)
	}
	return nil
}

func insertChanges(ctx context.Context, conn driver.Conn, rows []history.ChangeRow) error {
	if len(rows) == 0 {
		return nil
	}
	batch, err := conn.PrepareBatch(ctx, `INSERT INTO change_log (seq, event_id, at, from_status, to_status, action, actor,
		target, rating, kind, category, severity, grid_id, street_code, reported_at, day, reported, done_delta,
		closing, handling_s, sla_s, on_time, rated, satisfied, due_at)`)
	if err != nil {
		return queryErr("prepare changes insert", err)
	}
	defer batch.Abort()
	n := len(rows)
	seq := make([]uint64, n)
	at, reportedAt, day, due := make([]time.Time, n), make([]time.Time, n), make([]time.Time, n), make([]time.Time, n)
	rating, reported, closing, onTime, rated, satisfied := make([]uint8, n), make([]uint8, n), make([]uint8, n), make([]uint8, n), make([]uint8, n), make([]uint8, n)
	done := make([]int8, n)
	handling, sla := make([]uint32, n), make([]uint32, n)
	strs := make([][]string, 11)
	for i := range strs {
		strs[i] = make([]string, n)
	}
	for i, r := range rows {
		seq[i], at[i], reportedAt[i], day[i], due[i] = r.Seq, r.At, r.ReportedAt, r.Day.Time(), r.DueAt
		rating[i], done[i] = r.Rating, r.DoneDelta
		reported[i], closing[i], onTime[i], rated[i], satisfied[i] = b2u(r.Reported), b2u(r.Closing), b2u(r.OnTime), b2u(r.Rated), b2u(r.Satisfied)
		handling[i], sla[i] = seconds(r.Handling), seconds(r.SLA)
		for j, v := range []string{r.EventID, string(r.From), string(r.To), r.Action, r.Actor, r.Target,
			string(r.Kind), r.Category, string(r.Severity), r.GridID, r.StreetCode} {
			strs[j][i] = v
		}
	}
	c := &columns{batch: batch}
	c.add(seq)
	c.add(strs[0]) // event_id
	c.add(at)
	for _, s := range strs[1:6] { // from_status … target
		c.add(s)
	}
	c.add(rating)
	for _, s := range strs[6:] { // kind … street_code
		c.add(s)
	}
	c.add(reportedAt)
	c.add(day)
	c.add(reported)
	c.add(done)
	c.add(closing)
	c.add(handling)
	c.add(sla)
	c.add(onTime)
	c.add(rated)
	c.add(satisfied)
	c.add(due)
	if c.err != nil {
		return fmt.Errorf("chstore: append changes: %w", c.err)
	}
	if err := batch.Send(); err != nil {
		return queryErr("insert changes", err)
	}
	return nil
}

func b2u(b bool) uint8 {
	if b {
		return 1
	}
	return 0
}

// seconds converts a duration to whole seconds, capped to UInt32 (136 years).
func seconds(d time.Duration) uint32 {
	return uint32(min(max(d, 0)/time.Second, 1<<32-1))
}
