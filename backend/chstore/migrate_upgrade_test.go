package chstore

import (
	"context"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// onceLock is a Locker for one process.
type onceLock struct{ mu sync.Mutex }

func (l *onceLock) Lock(context.Context) (func(), error) {
	l.mu.Lock()
	return l.mu.Unlock, nil
}

// upgradeFixture is a history written under the schema of migrations
// 001–005 (database old), and the same records written by the current
// writer into a fresh database (fresh), which every upgraded database must
// match.
type upgradeFixture struct {
	ctx        context.Context
	old, fresh driver.Conn
	oldDB      string
	rows       history.Rows
	zone       *time.Location
}

func newUpgradeFixture(t *testing.T, upTo uint32) *upgradeFixture {
	t.Helper()
	ctx := testsvc.Context(t)
	zone, _ := time.LoadLocation("Asia/Shanghai")
	fx := &upgradeFixture{ctx: ctx, zone: zone, rows: history.Rows{Zone: zone, SLAs: history.DefaultSLAs}}
	oldURL, freshURL := testsvc.ClickHouseDatabase(t), testsvc.ClickHouseDatabase(t)
	fx.old, fx.fresh = openConn(t, oldURL), openConn(t, freshURL)
	fx.oldDB = databaseOf(t, oldURL)
	migs, err := loadMigrations()
	if err != nil {
		t.Fatal(err)
	}
	if err := fx.old.Exec(ctx, createMigrationsTable); err != nil {
		t.Fatal(err)
	}
	for _, m := range migs { // as a release with migrations up to upTo left it
		if m.version > upTo {
			break
		}
		for _, stmt := range m.statements {
			if err := fx.old.Exec(ctx, stmt); err != nil {
				t.Fatalf("%03d_%s: %v", m.version, m.name, err)
			}
		}
		if err := recordMigration(ctx, fx.old, m); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := Migrate(ctx, fx.fresh, &onceLock{}); err != nil {
		t.Fatal(err)
	}
	// Disputes of the hotline are due after 72 h: the earlier history's
	// ten closings are late, the later ones are not. The earlier history's
	// cases are reported in two months of two years, so the copies cross
	// partitions.
	dec, jan := fx.batch(1, "dec", time.Date(2024, 12, 30, 9, 0, 0, 0, zone), 80*time.Hour, false),
		fx.batch(100, "jan", time.Date(2025, 1, 2, 9, 0, 0, 0, zone), 80*time.Hour, false)
	before := history.Batch{Events: append(dec.Events, jan.Events...), Changes: append(dec.Changes, jan.Changes...)}
	fx.write(t, fx.fresh, before)
	// The old schema's changes table has change_log's columns in the same
	// order (007 creates change_log AS changes).
	if err := insertEvents(ctx, fx.old, before.Events); err != nil {
		t.Fatal(err)
	}
	if err := fx.old.Exec(ctx, "INSERT INTO "+fx.oldDB+".changes SELECT * FROM "+databaseOf(t, freshURL)+".change_log"); err != nil {
		t.Fatal(err)
	}
	return fx
}

// batch is five disputes reported at at, numbered from first on, closed
// after closeAfter; with leaveOneOpen the first stays open.
func (fx *upgradeFixture) batch(first uint64, prefix string, at time.Time, closeAfter time.Duration, leaveOneOpen bool) history.Batch {
	cases := historytest.Many(5, prefix, event.Hotline, "dispute", at, closeAfter, 5)
	if leaveOneOpen {
		cases[0].Steps = nil
	}
	var recs []event.Record
	for _, c := range cases {
		recs = append(recs, c.Records()...)
	}
	for i := range recs {
		recs[i].SetSeq(first + uint64(i))
	}
	return fx.rows.Batch(recs)
}

func (fx *upgradeFixture) write(t *testing.T, conn driver.Conn, b history.Batch) {
	t.Helper()
	if err := insertEvents(fx.ctx, conn, b.Events); err != nil {
		t.Fatal(err)
	}
	if err := insertChanges(fx.ctx, conn, b.Changes); err != nil {
		t.Fatal(err)
	}
}

// finish writes later records into both databases, then checks that the
// upgraded one holds what the fresh one holds, in the current schema.
func (fx *upgradeFixture) finish(t *testing.T) {
	t.Helper()
	after := fx.batch(1000, "after", time.Date(2025, 6, 2, 9, 0, 0, 0, fx.zone), time.Hour, true)
	fx.write(t, fx.old, after)
	fx.write(t, fx.fresh, after)
	for _, q := range []string{
		"SELECT count() FROM change_log",
		"SELECT sum(seq) FROM change_log",
		"SELECT count() FROM events",
		"SELECT count() FROM event_places",
		"SELECT sum(n) FROM grid_daily",
		"SELECT sumMerge(reported) FROM kpi_daily",
		"SELECT toUInt64(sumMerge(done)) FROM kpi_daily",
		"SELECT sumMerge(closings) FROM kpi_daily",
		"SELECT sumMerge(on_time) FROM kpi_daily",
		"SELECT sumMerge(ratings) FROM kpi_daily_kind",
		"SELECT sumMerge(satisfied) FROM kpi_daily_kind",
		"SELECT toUInt64(sum(open)) FROM open_events",
		"SELECT uniqExact(event_id) FROM case_states",
		"SELECT countIf(s = 'rated' AND o = 0) FROM (SELECT argMaxMerge(status) AS s, sumMerge(open) AS o FROM case_states GROUP BY event_id)",
		"SELECT count() FROM review_changes",
		"SELECT countIf(closing = 1) FROM review_changes",
	} {
		if got, want := countOf(t, fx.old, q), countOf(t, fx.fresh, q); got != want || want == 0 {
			t.Errorf("%s: %d after the upgrade, %d in a fresh database", q, got, want)
		}
	}
	if n := countOf(t, fx.old, "SELECT count() FROM review_changes WHERE closing = 1"); n != 10 {
		t.Errorf("late closings in review_changes: %d, want the earlier history's 10", n)
	}
	for _, gone := range []string{"changes", "changes_by_time", fencedChanges, "kpi_daily_by_year"} {
		if n := countOf(t, fx.old, "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = ?", gone); n != 0 {
			t.Errorf("table %s is still there after the upgrade", gone)
		}
	}
	keys := map[string]string{"change_log": "toYYYYMM(at)", "events": "toYYYYMM(day)"}
	for _, y := range yearlyTables {
		keys[y.name] = "toYear(day)"
	}
	for table, want := range keys {
		r := &rebuilder{ctx: fx.ctx, conn: fx.old}
		if got := r.partitionKey(table); got != want || r.err != nil {
			t.Errorf("%s is partitioned by %q (%v), want %q", table, got, r.err, want)
		}
	}
}

// TestUpgradeCarriesEarlierHistory checks 006 and 007 over a history
// written under 001–005: the review's tables get it once (006's copy), the
// changes move into change_log and the aggregates into yearly partitions
// (007), and records written afterwards arrive through the views. The
// upgraded database then answers like a fresh one with the same records.
func TestUpgradeCarriesEarlierHistory(t *testing.T) {
	fx := newUpgradeFixture(t, 5)
	for range 2 { // the second run finds everything applied
		if _, err := Migrate(fx.ctx, fx.old, &onceLock{}); err != nil {
			t.Fatal(err)
		}
	}
	fx.finish(t)
}

// TestRebuildResumesAfterACrash leaves 007 as a crash would at several
// points at once: `changes` fenced off and half copied into change_log,
// one aggregate half copied beside itself, another already dropped after
// its complete copy. The next Migrate completes it without losing or
// doubling anything.
func TestRebuildResumesAfterACrash(t *testing.T) {
	fx := newUpgradeFixture(t, 6)
	for _, stmt := range []string{
		"RENAME TABLE changes TO " + fencedChanges,
		"DROP TABLE kpi_daily_mv",
		"CREATE TABLE change_log AS " + fencedChanges + " ENGINE = MergeTree PARTITION BY toYYYYMM(at) ORDER BY (at, seq)",
		"INSERT INTO change_log SELECT * FROM " + fencedChanges + " WHERE seq % 2 = 0",
		"CREATE TABLE kpi_daily_by_year AS kpi_daily ENGINE = AggregatingMergeTree PARTITION BY toYear(day) ORDER BY (day, kind, category, street_code)",
		"INSERT INTO kpi_daily_by_year SELECT * FROM kpi_daily WHERE toYYYYMM(day) = 202412",
		"CREATE TABLE case_states_by_year AS case_states ENGINE = AggregatingMergeTree PARTITION BY toYear(day) ORDER BY (day, event_id)",
		"INSERT INTO case_states_by_year SELECT * FROM case_states",
		"DROP TABLE case_states",
	} {
		if err := fx.old.Exec(fx.ctx, stmt); err != nil {
			t.Fatalf("%s: %v", stmt, err)
		}
	}
	if n := countOf(t, fx.old, "SELECT count() FROM kpi_daily_by_year"); n == 0 || n == countOf(t, fx.old, "SELECT count() FROM kpi_daily") {
		t.Fatalf("the partial copy of kpi_daily has %d rows: not partial", n)
	}
	if _, err := Migrate(fx.ctx, fx.old, &onceLock{}); err != nil {
		t.Fatal(err)
	}
	fx.finish(t)
}

// openConn opens a raw connection to rawURL, closed after the test.
func openConn(t *testing.T, rawURL string) driver.Conn {
	t.Helper()
	conn, err := Open(testsvc.Context(t), rawURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// databaseOf is the database a ClickHouse URL names.
func databaseOf(t *testing.T, rawURL string) string {
	t.Helper()
	u, err := url.Parse(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimPrefix(u.Path, "/")
}

// countOf runs a count query.
func countOf(t *testing.T, conn driver.Conn, query string, args ...any) uint64 {
	t.Helper()
	var n uint64
	if err := conn.QueryRow(testsvc.Context(t), query, args...).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}
