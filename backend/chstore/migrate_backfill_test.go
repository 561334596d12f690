package chstore

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/testsvc"
)

type onceLock struct{ mu sync.Mutex }

func (l *onceLock) Lock(context.Context) (func(), error) {
	l.mu.Lock()
	return l.mu.Unlock, nil
}

// TestMigrationCopiesEarlierHistory checks the copy in 006_review.sql: a
// history written under migrations 001–005 is in the review's tables after
// 006, once, and records written afterwards arrive through the views.
func TestMigrationCopiesEarlierHistory(t *testing.T) {
	ctx := testsvc.Context(t)
	conn, err := Open(ctx, testsvc.ClickHouseDatabase(t))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	migs, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range migs {
		if m.version >= 6 {
			break
		}
		for _, stmt := range m.statements {
			if err := conn.Exec(ctx, stmt); err != nil {
				t.Fatalf("%03d_%s: %v", m.version, m.name, err)
			}
		}
	}
	zone, _ := time.LoadLocation("Asia/Shanghai")
	rows := history.Rows{Zone: zone, SLAs: history.DefaultSLAs}
	// Disputes of the hotline are due after 72 h: the earlier history's
	// five closings are late, the later ones are not.
	batch := func(prefix string, first uint64, closeAfter time.Duration) history.Batch {
		var recs []event.Record
		for _, c := range historytest.Many(5, prefix, event.Hotline, "dispute", time.Date(2025, 6, 2, 9, 0, 0, 0, zone), closeAfter, 5) {
			recs = append(recs, c.Records()...)
		}
		for i := range recs {
			recs[i].SetSeq(first + uint64(i))
		}
		return rows.Batch(recs)
	}
	before := batch("before", 1, 80*time.Hour)
	if err := insertEvents(ctx, conn, before.Events); err != nil {
		t.Fatal(err)
	}
	if err := insertChanges(ctx, conn, before.Changes); err != nil {
		t.Fatal(err)
	}
	for range 2 { // the second run finds everything applied
		if _, err := Migrate(ctx, conn, &onceLock{}); err != nil {
			t.Fatal(err)
		}
	}
	after := batch("after", 1000, time.Hour)
	if err := insertEvents(ctx, conn, after.Events); err != nil {
		t.Fatal(err)
	}
	if err := insertChanges(ctx, conn, after.Changes); err != nil {
		t.Fatal(err)
	}
	for query, want := range map[string]int{
		"SELECT count() FROM changes_by_time":                  len(before.Changes) + len(after.Changes),
		"SELECT count() FROM event_places":                     len(before.Events) + len(after.Events),
		"SELECT count() FROM review_changes WHERE closing = 1": 5,
		"SELECT uniqExact(event_id) FROM case_states":          10,
		"SELECT countIf(s = 'rated' AND o = 0) FROM (SELECT argMaxMerge(status) AS s, sumMerge(open) AS o FROM case_states GROUP BY event_id)": 10,
	} {
		var n uint64
		if err := conn.QueryRow(ctx, query).Scan(&n); err != nil || n != uint64(want) {
			t.Errorf("%s: %d (%v), want %d", query, n, err, want)
		}
	}
}
