package chstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/gridcc/gridcc/backend/chstore"

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
	t.Run("OK_waitsForAnEarlierAttemptStillRunning", func(t *testing.T) {
		// An attempt the writer gave up on (its timeout) may still be
		// running in ClickHouse and land later. Here that attempt is an
		// INSERT … SELECT from a copy of the batch, slowed by sleep() and
		// carrying the query id the store gives its inserts: a retry that
		// checked and inserted beside it would store every row twice.
		ctx := testsvc.Context(t)
		s, url := mustStore(t)
		copied, copyURL := mustStore(t)
		if _, err := copied.Write(ctx, b); err != nil {
			t.Fatal(err)
		}
		want := tableCounts(t, copyURL)
		lo, hi := b.Changes[0].Seq, b.Changes[len(b.Changes)-1].Seq
		if err := s.Ping(ctx); err != nil { // migrates
			t.Fatal(err)
		}
		conn := mustConn(t, url)
		earlier := make(chan error, 2)
		for _, table := range []string{"events", "change_log"} {
			id := chstore.InsertQueryID(table, lo, hi)
			go func() {
				earlier <- conn.Exec(clickhouse.Context(ctx, clickhouse.WithQueryID(id)),
					fmt.Sprintf("INSERT INTO %s SELECT * FROM %s.%s WHERE sleep(1) = 0", table, chstore.DatabaseOf(t, copyURL), table))
			}()
		}
		waitForQueries(t, conn, 2)
		if n, err := s.Write(ctx, b); err != nil || n != 0 {
			t.Errorf("retry beside the earlier attempt: %d new rows, %v; want 0", n, err)
		}
		for range 2 {
			if err := <-earlier; err != nil {
				t.Fatalf("the earlier attempt: %v", err)
			}
		}
		if got := tableCounts(t, url); !equalCounts(got, want) {
			t.Errorf("after the retry: %v, want %v", got, want)
		}
	})
}

// waitForQueries waits until n queries with the store's insert query ids run.
func waitForQueries(t *testing.T, conn driver.Conn, n uint64) {
	t.Helper()
	for count(t, conn, "SELECT count() FROM system.processes WHERE query_id LIKE 'gridcc-insert/%'") < n {
		time.Sleep(10 * time.Millisecond)
	}
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
