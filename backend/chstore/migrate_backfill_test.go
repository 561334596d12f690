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

// TestMigrationCopiesEarlierHistory checks the copy in 006_replay.sql: a
// history written under migrations 001–005 is in the replay tables after
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
	batch := func(prefix string, first uint64) history.Batch {
		var recs []event.Record
		for _, c := range historytest.Many(5, prefix, event.Hotline, "dispute", time.Date(2025, 6, 2, 9, 0, 0, 0, zone), time.Hour, 5) {
			recs = append(recs, c.Records()...)
		}
		for i := range recs {
			recs[i].SetSeq(first + uint64(i))
		}
		return rows.Batch(recs)
	}
	before := batch("before", 1)
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
	after := batch("after", 1000)
	if err := insertEvents(ctx, conn, after.Events); err != nil {
		t.Fatal(err)
	}
	if err := insertChanges(ctx, conn, after.Changes); err != nil {
		t.Fatal(err)
	}
	for table, want := range map[string]int{
		"changes_by_time": len(before.Changes) + len(after.Changes),
		"event_places":    len(before.Events) + len(after.Events),
	} {
		var n uint64
		if err := conn.QueryRow(ctx, "SELECT count() FROM "+table).Scan(&n); err != nil || n != uint64(want) {
			t.Errorf("%s has %d rows (%v), want %d", table, n, err, want)
		}
	}
}
