package chstore

import (
	"context"
	"fmt"
	"strings"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// ClickHouse 18.16 (Debian 12's package) and current LTS releases (the
// docker-compose image) must both run gridcc's schema and queries. The
// migrations and queries use only what both accept; this file holds the
// 18.16-specific knowledge in one place (measured: docs in
// ../shared/notes/clickhouse.md):
//
//   - Native protocol only: clickhouse-go's HTTP client cannot talk to 18.16.
//   - Inserts always name their columns (18.16 answers a column-less
//     INSERT with an empty header, and AppendStruct then inserts nothing),
//     and go through PrepareBatch: `Exec("INSERT … VALUES")` hangs on 18.16.
//   - No DateTime64, Map, Bool, JSON, TTL, CODEC, window functions, CTEs,
//     WITH FILL, {name:Type} parameters or async_insert. Times are DateTime
//     (seconds, UTC); gaps are filled and comparisons computed in Go;
//     retention is `ALTER TABLE … DROP PARTITION` of months and years, and
//     `ALTER TABLE … DELETE` (a mutation, which 18.16 has for every
//     MergeTree) for the expired months of a year partition.
//   - No max_partitions_per_insert_block on 18.16; current releases refuse
//     an insert block over 100 partitions, so copies go a month at a time.
//   - No toStartOfWeek: weeks are toMonday(day), which is also ISO.
//   - quantile(UInt32) returns UInt32 on 18.16 and Float64 later: every
//     quantile argument is converted explicitly. Handling time uses
//     quantilesTiming over 5-minute units (handlingUnit): exact to 1023
//     units (85 h), 16-unit (80 min) steps above, capped at 30000 units
//     (104 days). Its state is a histogram, so merged figures do not depend
//     on the order in which parts were merged, which the re-delivery test
//     relies on.
//   - LowCardinality needs allow_experimental_low_cardinality_type=1 in
//     the server's users.xml profile on 18.16 (scripts/clickhouse/users.xml.tmpl
//     sets it). The client must not send the setting: newer servers reject
//     it. checkServer explains a server without it.
//   - FINAL only on Replacing/Summing/Aggregating tables; the queries use
//     argMax or GROUP BY instead.
//   - Plain MergeTree has no insert de-duplication (non_replicated_deduplication_window
//     does not exist on 18.16 and is 0 elsewhere): the writer de-duplicates
//     by seq before inserting (write.go).
//   - Migrations use CREATE … IF NOT EXISTS; a column added later must be
//     checked in system.columns (no ADD COLUMN IF NOT EXISTS on 18.16).

// handlingUnit is the unit, in seconds, of the handling-time quantile
// states in kpi_daily (the migration divides handling_s by it).
const handlingUnit = 300

// checkServer fails early, with the fix, on a server the schema cannot
// run on.
func checkServer(ctx context.Context, conn driver.Conn) error {
	v, err := conn.ServerVersion()
	if err != nil {
		return fmt.Errorf("chstore: server version: %w", err)
	}
	if v.Version.Major >= 19 {
		return nil
	}
	if v.Version.Major < 18 || v.Version.Major == 18 && v.Version.Minor < 14 {
		return fmt.Errorf("chstore: ClickHouse %s is too old: gridcc needs 18.14 or later", v.Version)
	}
	var value string
	row := conn.QueryRow(ctx, "SELECT value FROM system.settings WHERE name = 'allow_experimental_low_cardinality_type'")
	if err := row.Scan(&value); err != nil {
		return fmt.Errorf("chstore: read settings: %w", err)
	}
	if strings.TrimSpace(value) != "1" {
		return fmt.Errorf("chstore: ClickHouse %s needs allow_experimental_low_cardinality_type=1 in the default profile of its users.xml (see scripts/clickhouse/users.xml.tmpl)", v.Version)
	}
	return nil
}
