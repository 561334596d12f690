package chstore_test

import (
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/testsvc"
)

var testNow = time.Date(2025, 6, 2, 9, 0, 0, 0, shanghai)

// tableCounts reads the row counts the de-duplication protects: the base
// tables and every aggregate's total.
func tableCounts(t *testing.T, url string) map[string]uint64 {
	t.Helper()
	conn := mustConn(t, url)
	return map[string]uint64{
		"events":             count(t, conn, "SELECT count() FROM events"),
		"change_log":         count(t, conn, "SELECT count() FROM change_log"),
		"kpi_daily.reported": count(t, conn, "SELECT sumMerge(reported) FROM kpi_daily"),
		"kpi_daily_kind":     count(t, conn, "SELECT sumMerge(reported) FROM kpi_daily_kind"),
		"kpi_daily.closings": count(t, conn, "SELECT sumMerge(closings) FROM kpi_daily"),
		"grid_daily":         count(t, conn, "SELECT sum(n) FROM grid_daily"),
		"open_events":        count(t, conn, "SELECT toUInt64(sum(open)) FROM open_events"),
		"event_places":       count(t, conn, "SELECT count() FROM event_places"),
		"case_states":        count(t, conn, "SELECT toUInt64(sumMerge(open)) FROM case_states"),
		"review_changes":     count(t, conn, "SELECT count() FROM review_changes"),
	}
}

func TestWrite(t *testing.T) {
	cases := historytest.Many(20, "w", event.Hotline, "dispute", testNow, 2*time.Hour, 5)
	cases[0].Steps = nil // one stays open
	b := batchOf(cases, 1)

	t.Run("OK_storesEachRecordOnce", func(t *testing.T) {
		ctx := testsvc.Context(t)
		s, url := mustStore(t)
		n, err := s.Write(ctx, b)
		if err != nil || n != b.Len() {
			t.Fatalf("first write: %d, %v; want %d", n, err, b.Len())
		}
		want := tableCounts(t, url)
		if want["events"] != 20 || want["change_log"] != uint64(b.Len()) || want["open_events"] != 1 {
			t.Fatalf("after one write: %v", want)
		}
		for _, again := range []history.Batch{b, b.Keep(func(seq uint64) bool { return seq%2 == 0 })} {
			if n, err := s.Write(ctx, again); err != nil || n != 0 {
				t.Fatalf("write again: %d new, %v; want 0", n, err)
			}
		}
		if got := tableCounts(t, url); !equalCounts(got, want) {
			t.Errorf("after writing the batch again: %v, want %v", got, want)
		}
	})

	t.Run("OK_repairsAWriteCutShort", func(t *testing.T) {
		// A write that stored the events but not the changes (ClickHouse
		// died between the two inserts) is completed by the retry.
		ctx := testsvc.Context(t)
		s, url := mustStore(t)
		eventsOnly := history.Batch{Events: b.Events, Changes: b.Changes[:1]}
		if _, err := s.Write(ctx, eventsOnly); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Write(ctx, b); err != nil || n != b.Len()-1 {
			t.Fatalf("retry: %d new, %v; want %d", n, err, b.Len()-1)
		}
		got := tableCounts(t, url)
		if got["events"] != 20 || got["change_log"] != uint64(b.Len()) || got["kpi_daily.reported"] != 20 {
			t.Errorf("after the retry: %v", got)
		}
	})

	t.Run("OK_newSeqsOfAnOverlappingBatch", func(t *testing.T) {
		ctx := testsvc.Context(t)
		s, url := mustStore(t)
		half := b.Keep(func(seq uint64) bool { return seq <= uint64(b.Len()/2) })
		if _, err := s.Write(ctx, half); err != nil {
			t.Fatal(err)
		}
		if n, err := s.Write(ctx, b); err != nil || n != b.Len()-half.Len() {
			t.Fatalf("overlapping write: %d new, %v; want %d", n, err, b.Len()-half.Len())
		}
		if got := tableCounts(t, url); got["change_log"] != uint64(b.Len()) || got["events"] != 20 {
			t.Errorf("after the overlapping write: %v", got)
		}
	})
}

func equalCounts(a, b map[string]uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}
