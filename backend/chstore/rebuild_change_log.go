package chstore

import (
	"context"
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Migration 007 rebuilds the changes side of the history so that an insert
// creates fewer files (docs/history.md, "Measured"). On the benchmark
// machine ClickHouse spent most of its insert time creating part files, and
// a batch of records in time order touched five or six report months: one
// part per month in `changes` and in each aggregate partitioned by the
// report's month.
//
//   - change_log replaces both `changes` (sorted by seq, partitioned by
//     report month) and its time-ordered copy `changes_by_time`: one copy of
//     every change, partitioned by the month of `at` and sorted by (at, seq),
//     so a batch of recent records touches one or two months. The writer
//     de-duplicates on it by (at, seq) ranges; the replay reads it by time.
//   - The aggregates keyed by report day (kpi_daily, kpi_daily_kind,
//     case_states, review_changes) get one partition per year. Retention
//     deletes their expired months (retention.Job).
//
// Plain statements cannot do this safely: it renames, copies and swaps
// tables, and must resume wherever a crash stopped it. So each step looks
// at what the database holds first and is safe to run again.
const (
	rebuildVersion = 7
	rebuildName    = "change_log"
)

// changeLogViews feed the aggregates from change_log, with the queries that
// fed them from `changes` (003, 005, 006).
var changeLogViews = []string{
	`CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_daily_mv TO kpi_daily AS
SELECT day, kind, category, street_code,
       sumState(toUInt64(reported))                                        AS reported,
       sumState(toInt64(done_delta))                                       AS done,
       sumState(toUInt64(closing))                                         AS closings,
       sumState(toUInt64(on_time))                                         AS on_time,
       sumState(toUInt64(rated))                                           AS ratings,
       sumState(toUInt64(satisfied))                                       AS satisfied,
       quantilesTimingIfState(0.5, 0.9)(toUInt32(intDiv(handling_s, 300)), closing) AS handling
FROM change_log
GROUP BY day, kind, category, street_code`,
	`CREATE MATERIALIZED VIEW IF NOT EXISTS kpi_daily_kind_mv TO kpi_daily_kind AS
SELECT day, kind,
       sumState(toUInt64(reported))                                        AS reported,
       sumState(toInt64(done_delta))                                       AS done,
       sumState(toUInt64(closing))                                         AS closings,
       sumState(toUInt64(on_time))                                         AS on_time,
       sumState(toUInt64(rated))                                           AS ratings,
       sumState(toUInt64(satisfied))                                       AS satisfied,
       quantilesTimingIfState(0.5, 0.9)(toUInt32(intDiv(handling_s, 300)), closing) AS handling
FROM change_log
GROUP BY day, kind`,
	`CREATE MATERIALIZED VIEW IF NOT EXISTS open_events_mv TO open_events AS
SELECT grid_id, event_id, severity, due_at, toInt64(reported) - toInt64(done_delta) AS open
FROM change_log
WHERE reported = 1 OR done_delta != 0`,
	`CREATE MATERIALIZED VIEW IF NOT EXISTS case_states_mv TO case_states AS
SELECT day, event_id,
       any(CAST(kind AS String))        AS kind,
       any(CAST(category AS String))    AS category,
       any(CAST(severity AS String))    AS severity,
       any(grid_id)                     AS grid_id,
       any(CAST(street_code AS String)) AS street_code,
       min(reported_at)                 AS reported_at,
       max(due_at)                      AS due_at,
       sumState(toInt64(reported) - toInt64(done_delta))    AS open,
       argMaxState(CAST(to_status AS String), seq)          AS status,
       argMaxIfState(target, seq, action = 'dispatch')      AS assignee
FROM change_log
GROUP BY day, event_id`,
	`CREATE MATERIALIZED VIEW IF NOT EXISTS review_changes_mv TO review_changes AS
SELECT day, event_id, seq, at, action, target, closing, on_time, reported_at, due_at, kind, category, severity,
       grid_id, street_code
FROM change_log
WHERE (closing = 1 AND on_time = 0) OR action IN ('whistle', 'checkin', 'checkin_missed')`,
}

// viewsOnChanges are the views that fed from `changes` before 007.
var viewsOnChanges = []string{"kpi_daily_mv", "kpi_daily_kind_mv", "open_events_mv", "case_states_mv",
	"review_changes_mv", "changes_by_time_mv"}

// yearlyTable is an aggregate that 007 partitions by year.
type yearlyTable struct{ name, engine, orderBy string }

// yearlyTables are the tables 007 partitions by year, with what their
// rebuild needs. retention.YearlyTables names the same tables for
// retention; this list is the migration's own, released with it and never
// changed (a test checks the migrated schema against retention's lists).
var yearlyTables = []yearlyTable{
	{"kpi_daily", "AggregatingMergeTree", "(day, kind, category, street_code)"},
	{"kpi_daily_kind", "AggregatingMergeTree", "(day, kind)"},
	{"case_states", "AggregatingMergeTree", "(day, event_id)"},
	{"review_changes", "MergeTree", "(day, event_id, seq)"},
}

// fencedChanges is what 007 renames `changes` to before anything else: from
// then on an older replica's insert into `changes` fails, and its writer
// retries without acknowledging, so no record can reach the old tables
// after they were copied. The table is dropped at the end.
const fencedChanges = "changes_pre007"

func rebuildChangeLog(ctx context.Context, conn driver.Conn) error {
	r := &rebuilder{ctx: ctx, conn: conn}
	if r.exists("changes") {
		r.exec("RENAME TABLE changes TO " + fencedChanges)
	}
	for _, v := range viewsOnChanges {
		r.exec("DROP TABLE IF EXISTS " + v)
	}
	if r.exists(fencedChanges) {
		// Copied from scratch whenever the old table is still there: a
		// copy cut short by a crash is simply made again.
		r.exec("DROP TABLE IF EXISTS change_log")
		r.exec("CREATE TABLE change_log AS " + fencedChanges +
			" ENGINE = MergeTree PARTITION BY toYYYYMM(at) ORDER BY (at, seq)")
		r.copyByPartition(fencedChanges, "change_log")
	} else if r.err == nil && !r.exists("change_log") {
		r.err = fmt.Errorf("neither changes nor change_log exists")
	}
	for _, t := range yearlyTables {
		r.toYearly(t)
	}
	for _, v := range changeLogViews {
		r.exec(v)
	}
	r.exec("DROP TABLE IF EXISTS " + fencedChanges)
	r.exec("DROP TABLE IF EXISTS changes_by_time")
	return r.err
}

// toYearly rebuilds t with one partition per year: a copy beside it, then
// a swap. Each state a crash can leave is recognised: a copy beside the
// old table may be partial and is made again; a copy without the old table
// is complete and only needs its name.
func (r *rebuilder) toYearly(t yearlyTable) {
	tmp := t.name + "_by_year"
	if r.exists(tmp) && r.exists(t.name) {
		r.exec("DROP TABLE " + tmp)
	}
	if r.exists(t.name) && r.partitionKey(t.name) != "toYear(day)" {
		r.exec(fmt.Sprintf("CREATE TABLE %s AS %s ENGINE = %s PARTITION BY toYear(day) ORDER BY %s",
			tmp, t.name, t.engine, t.orderBy))
		r.copyByPartition(t.name, tmp)
		r.exec("DROP TABLE " + t.name)
	}
	if !r.exists(t.name) && r.exists(tmp) {
		r.exec("RENAME TABLE " + tmp + " TO " + t.name)
	}
}

// rebuilder runs the steps of a rebuild until the first error, which it
// keeps (like bufio.Writer): the steps read as a list.
type rebuilder struct {
	ctx  context.Context
	conn driver.Conn
	err  error
}

func (r *rebuilder) exec(stmt string) {
	if r.err == nil {
		if err := r.conn.Exec(r.ctx, stmt); err != nil {
			line, _, _ := strings.Cut(stmt, "\n")
			r.err = fmt.Errorf("%s: %w", line, err)
		}
	}
}

func (r *rebuilder) exists(table string) bool {
	var n uint64
	if r.err == nil {
		err := r.conn.QueryRow(r.ctx, "SELECT count() FROM system.tables WHERE database = currentDatabase() AND name = ?",
			table).Scan(&n)
		if err != nil {
			r.err = fmt.Errorf("look up table %s: %w", table, err)
		}
	}
	return n > 0
}

func (r *rebuilder) partitionKey(table string) string {
	var key string
	if r.err == nil {
		err := r.conn.QueryRow(r.ctx, "SELECT partition_key FROM system.tables WHERE database = currentDatabase() AND name = ?",
			table).Scan(&key)
		if err != nil {
			r.err = fmt.Errorf("read the partition key of %s: %w", table, err)
		}
	}
	return key
}

// copyByPartition copies every row of from into to, one monthly partition
// of from (selected by the value of its key, which 18.16 prunes on) per
// INSERT: each insert then touches few partitions of to (current releases
// refuse an insert block over 100), and the log shows the progress of a
// copy that takes minutes over a large history.
func (r *rebuilder) copyByPartition(from, to string) {
	key := r.partitionKey(from)
	if r.err == nil && !strings.HasPrefix(key, "toYYYYMM(") {
		r.err = fmt.Errorf("copy %s: partitioned by %q, not by month", from, key)
	}
	if r.err != nil {
		return
	}
	rows, err := r.conn.Query(r.ctx, `SELECT partition, sum(rows) FROM system.parts
		WHERE database = currentDatabase() AND table = ? AND active GROUP BY partition ORDER BY partition`, from)
	if err != nil {
		r.err = fmt.Errorf("list the partitions of %s: %w", from, err)
		return
	}
	type part struct {
		value string
		rows  uint64
	}
	var parts []part
	for rows.Next() && r.err == nil {
		var p part
		if err := rows.Scan(&p.value, &p.rows); err != nil {
			r.err = fmt.Errorf("list the partitions of %s: %w", from, err)
		}
		parts = append(parts, p)
	}
	rows.Close()
	if err := rows.Err(); err != nil && r.err == nil {
		r.err = fmt.Errorf("list the partitions of %s: %w", from, err)
	}
	start := time.Now()
	var copied uint64
	for i, p := range parts {
		if !partitionValue.MatchString(p.value) {
			r.err = fmt.Errorf("copy %s: unexpected partition %q", from, p.value)
			return
		}
		r.exec(fmt.Sprintf("INSERT INTO %s SELECT * FROM %s WHERE %s = %s", to, from, key, p.value))
		copied += p.rows
		slog.Info("history schema 007: copying", "from", from, "to", to, "partition", p.value,
			"partitions", fmt.Sprintf("%d/%d", i+1, len(parts)), "rows", copied, "elapsed", time.Since(start).Round(time.Millisecond))
	}
}

// partitionValue is a partition of a table partitioned by toYYYYMM, as
// system.parts shows it; anything else is refused rather than quoted into
// a query.
var partitionValue = regexp.MustCompile(`^[0-9]{6}$`)
