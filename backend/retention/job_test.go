package retention_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/retention"
	"github.com/gridcc/gridcc/backend/testsvc"
)

var shanghai = mustZone("Asia/Shanghai")

func mustZone(name string) *time.Location {
	z, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return z
}

// historyFixture is a migrated history database holding rowsPerMonth
// changes and events (and, through the views, their aggregates) on the
// 15th of every month from January 2023 to June 2024, and as many audit
// records on the last day of each month at 23:30 UTC.
type historyFixture struct {
	store *chstore.Store
	conn  driver.Conn
	lock  *redisbus.Lock
}

const rowsPerMonth = 10

func newHistoryFixture(t *testing.T) *historyFixture {
	t.Helper()
	ctx := testsvc.Context(t)
	url := testsvc.ClickHouseDatabase(t)
	rdb, prefix := testsvc.Redis(t)
	lock := redisbus.NewLock(rdb, prefix+"history:retention", 30*time.Second)
	store := chstore.New(url, shanghai, redisbus.NewLock(rdb, prefix+"history:migrate", 30*time.Second))
	t.Cleanup(func() { store.Close() })
	if err := store.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	conn, err := chstore.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	seq := 0
	for m := time.Date(2023, 1, 15, 0, 0, 0, 0, time.UTC); m.Before(time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
		day := m.Format(time.DateOnly)
		monthEnd := time.Date(m.Year(), m.Month()+1, 0, 23, 30, 0, 0, time.UTC).Format(time.DateTime)
		for _, q := range []string{
			fmt.Sprintf(`INSERT INTO change_log (seq, event_id, at, kind, category, street_code, grid_id, reported_at, day, reported)
				SELECT %d + number, concat('E', toString(%d + number)), toDateTime('%s 08:00:00'), 'hotline', 'dispute', '411602001', 'G1',
				       toDateTime('%s 08:00:00'), toDate('%s'), 1
				FROM system.numbers LIMIT %d`, seq, seq, day, day, day, rowsPerMonth),
			fmt.Sprintf(`INSERT INTO events (seq, event_id, kind, category, street_code, grid_id, reported_at, day)
				SELECT %d + number, concat('E', toString(%d + number)), 'hotline', 'dispute', '411602001', 'G1', toDateTime('%s 08:00:00'), toDate('%s')
				FROM system.numbers LIMIT %d`, seq, seq, day, day, rowsPerMonth),
			fmt.Sprintf(`INSERT INTO audit (at, id, user, role, action, outcome)
				SELECT toDateTime('%s', 'UTC'), concat('A', toString(%d + number)), 'zhang', 'officer', 'login', 'ok'
				FROM system.numbers LIMIT %d`, monthEnd, seq, rowsPerMonth),
		} {
			if err := conn.Exec(ctx, q); err != nil {
				t.Fatalf("seed %s: %v", day, err)
			}
		}
		seq += rowsPerMonth
	}
	return &historyFixture{store: store, conn: conn, lock: lock}
}

// months returns the partition ids of table, in order.
func (fx *historyFixture) months(t *testing.T, table string) []string {
	t.Helper()
	parts, err := fx.store.Partitions(testsvc.Context(t), table)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, p := range parts {
		ids = append(ids, p.ID)
	}
	return ids
}

// monthsFrom lists YYYYMM ids from first to June 2024.
func monthsFrom(first string) []string {
	var out []string
	for m := time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC); m.Before(time.Date(2024, 7, 1, 0, 0, 0, 0, time.UTC)); m = m.AddDate(0, 1, 0) {
		if id := m.Format("200601"); id >= first {
			out = append(out, id)
		}
	}
	return out
}

// TestJobDropsExpiredMonths runs the job of two replicas at once on
// 2024-06-20 with a year of history and 180 days of audit log: together
// they drop each expired month of every table once, keep every younger
// one whole, and count what they dropped.
func TestJobDropsExpiredMonths(t *testing.T) {
	fx := newHistoryFixture(t)
	policies, err := retention.Policies(365, 180)
	if err != nil {
		t.Fatal(err)
	}
	now := func() time.Time { return time.Date(2024, 6, 20, 10, 0, 0, 0, shanghai) }
	// Tables the fixture leaves empty (review_changes holds only late
	// closings and whistle steps) have nothing to keep or drop.
	empty := map[string]bool{}
	for _, table := range slices.Concat(retention.HistoryTables, retention.YearlyTables) {
		empty[table] = len(fx.months(t, table)) == 0
	}
	regs := []*prometheus.Registry{prometheus.NewRegistry(), prometheus.NewRegistry()}
	var wg sync.WaitGroup
	results := make([][]retention.Dropped, len(regs))
	errs := make([]error, len(regs))
	for i, reg := range regs {
		job := retention.New(fx.store, fx.lock, retention.Options{Policies: policies, Zone: shanghai, Now: now}, reg)
		wg.Go(func() { results[i], errs[i] = job.RunOnce(testsvc.Context(t)) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatalf("replica %d: %v", i, err)
		}
	}
	// History: the cut is 2024-06-20 − 366 days = 2023-06-19, so January to
	// May 2023 go and June 2023 (last day the 30th) stays. Audit: the cut
	// is 2023-12-22, so up to November 2023 go.
	want := map[string]string{"audit": "202312"}
	for _, table := range retention.HistoryTables {
		if !empty[table] {
			want[table] = "202306"
		}
	}
	dropped := map[string]int{}
	for _, res := range results {
		for _, d := range res {
			dropped[d.Table]++
			if d.ID >= want[d.Table] {
				t.Errorf("dropped %s of %s, which is not expired", d.ID, d.Table)
			}
		}
	}
	for table, first := range want {
		if got, w := fx.months(t, table), monthsFrom(first); !slices.Equal(got, w) {
			t.Errorf("%s keeps months %v, want %v", table, got, w)
		}
		if n, w := dropped[table], len(monthsFrom("202301"))-len(monthsFrom(first)); n != w {
			t.Errorf("%s: %d partitions dropped, want %d (each once)", table, n, w)
		}
	}
	// The yearly tables keep both years, without their expired months
	// (deleted by a mutation, which ClickHouse applies in the background).
	for _, table := range retention.YearlyTables {
		if got := fx.months(t, table); !empty[table] && !slices.Equal(got, []string{"2023", "2024"}) {
			t.Errorf("%s keeps partitions %v, want 2023 and 2024", table, got)
		}
	}
	fx.waitForMutations(t)
	if n := fx.count(t, "SELECT sumMerge(reported) FROM kpi_daily"); n != uint64(len(monthsFrom("202306"))*rowsPerMonth) {
		t.Errorf("kpi_daily counts %d reports, want those of June 2023 on", n)
	}
	if n := fx.count(t, "SELECT count() FROM case_states WHERE day < '2023-06-01'"); n != 0 {
		t.Errorf("case_states keeps %d rows of expired months", n)
	}
	// The kept months are whole.
	var changes, audit uint64
	if err := fx.conn.QueryRow(testsvc.Context(t), "SELECT count() FROM change_log").Scan(&changes); err != nil {
		t.Fatal(err)
	}
	if err := fx.conn.QueryRow(testsvc.Context(t), "SELECT count() FROM audit").Scan(&audit); err != nil {
		t.Fatal(err)
	}
	if w := uint64(len(monthsFrom("202306")) * rowsPerMonth); changes != w {
		t.Errorf("change_log holds %d rows, want %d", changes, w)
	}
	if w := uint64(len(monthsFrom("202312")) * rowsPerMonth); audit != w {
		t.Errorf("audit holds %d rows, want %d", audit, w)
	}
	var rows, yearlyRows, partitions float64
	for _, reg := range regs {
		rows += counterValue(t, reg, "gridcc_retention_dropped_rows_total", "table", "change_log")
		yearlyRows += counterValue(t, reg, "gridcc_retention_dropped_rows_total", "table", "case_states")
		partitions += counterValue(t, reg, "gridcc_retention_dropped_partitions_total", "table", "audit")
	}
	if rows != 5*rowsPerMonth || yearlyRows != 5*rowsPerMonth || partitions != 11 {
		t.Errorf("metrics: %v change_log rows, %v case_states rows and %v audit partitions dropped, want %d, %d and 11",
			rows, yearlyRows, partitions, 5*rowsPerMonth, 5*rowsPerMonth)
	}

	// A second run finds nothing left.
	job := retention.New(fx.store, fx.lock, retention.Options{Policies: policies, Zone: shanghai, Now: now}, nil)
	if again, err := job.RunOnce(testsvc.Context(t)); err != nil || len(again) != 0 {
		t.Errorf("second run dropped %v (err %v), want nothing", again, err)
	}

	// Seven months later all of 2023 is expired: its year partitions go
	// whole.
	later := func() time.Time { return time.Date(2025, 2, 10, 10, 0, 0, 0, shanghai) }
	job = retention.New(fx.store, fx.lock, retention.Options{Policies: policies, Zone: shanghai, Now: later}, nil)
	if _, err := job.RunOnce(testsvc.Context(t)); err != nil {
		t.Fatal(err)
	}
	for _, table := range retention.YearlyTables {
		if got := fx.months(t, table); !empty[table] && !slices.Equal(got, []string{"2024"}) {
			t.Errorf("%s keeps partitions %v after 2023 expired, want 2024", table, got)
		}
	}
}

// count runs a count query.
func (fx *historyFixture) count(t *testing.T, query string) uint64 {
	t.Helper()
	var n uint64
	if err := fx.conn.QueryRow(testsvc.Context(t), query).Scan(&n); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	return n
}

// waitForMutations waits until ClickHouse has applied every mutation of
// the database.
func (fx *historyFixture) waitForMutations(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for fx.count(t, "SELECT count() FROM system.mutations WHERE database = currentDatabase() AND is_done = 0") > 0 {
		if time.Now().After(deadline) {
			t.Fatal("mutations still running after 30 s")
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// counterValue returns the value of counter name whose label has value
// (0 when there is none).
func counterValue(t *testing.T, reg *prometheus.Registry, name, label, value string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == label && l.GetValue() == value {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

// TestEveryPartitionedTableHasAPolicy reads the migrated schema: every
// partitioned table must be a history table or the audit log, so a
// migration adding one cannot leave it growing for ever unnoticed.
func TestEveryPartitionedTableHasAPolicy(t *testing.T) {
	fx := newHistoryFixture(t)
	rows, err := fx.conn.Query(testsvc.Context(t),
		"SELECT name, partition_key FROM system.tables WHERE database = currentDatabase() AND engine LIKE '%MergeTree'")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	seen := map[string]string{}
	for rows.Next() {
		var name, key string
		if err := rows.Scan(&name, &key); err != nil {
			t.Fatal(err)
		}
		seen[name] = key
	}
	for name, key := range seen {
		covered := slices.Contains(retention.HistoryTables, name) || slices.Contains(retention.YearlyTables, name) ||
			name == retention.AuditTable
		if key != "" != covered {
			t.Errorf("table %s (PARTITION BY %q): covered by a retention policy %v; every partitioned table needs one, others none", name, key, covered)
		}
	}
	for _, name := range retention.HistoryTables {
		if k := seen[name]; k != "toYYYYMM(day)" && k != "toYYYYMM(at)" {
			t.Errorf("history table %s is partitioned by %q, want by month of day or at", name, k)
		}
	}
	for _, name := range retention.YearlyTables {
		if k := seen[name]; k != "toYear(day)" {
			t.Errorf("yearly table %s is partitioned by %q, want toYear(day)", name, k)
		}
	}
}

// TestJobClickHouseDown: a run against a ClickHouse that does not answer
// fails with Unavailable and counts an error; Run keeps going.
func TestJobClickHouseDown(t *testing.T) {
	rdb, prefix := testsvc.Redis(t)
	lock := redisbus.NewLock(rdb, prefix+"history:retention", 30*time.Second)
	down := chstore.New(fmt.Sprintf("clickhouse://127.0.0.1:%d/gridcc", testsvc.FreePort(t)), shanghai, lock)
	policies, _ := retention.Policies(365, 0)
	reg := prometheus.NewRegistry()
	job := retention.New(down, redisbus.NewLock(rdb, prefix+"r2", 30*time.Second),
		retention.Options{Policies: policies, Zone: shanghai, Interval: 20 * time.Millisecond}, reg)
	if _, err := job.RunOnce(testsvc.Context(t)); !apperr.Is(err, apperr.Unavailable) {
		t.Fatalf("err = %v, want unavailable", err)
	}
	ctx, cancel := context.WithTimeout(testsvc.Context(t), 200*time.Millisecond)
	defer cancel()
	if err := job.Run(ctx); err != nil {
		t.Fatalf("Run returned %v; a failed run must not stop the replica", err)
	}
	if n := counterValue(t, reg, "gridcc_retention_runs_total", "outcome", "error"); n < 2 {
		t.Errorf("%v failed runs counted, want at least 2", n)
	}
}
