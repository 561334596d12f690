// Package retention drops history older than the configured age.
//
// ClickHouse 18.16 has no TTL, so age is enforced by a job that drops whole
// monthly partitions (`ALTER TABLE … DROP PARTITION`): every history table
// is partitioned by toYYYYMM of the record's district-local day, the audit
// log by toYYYYMM of its time. A month goes only when every day in it is
// older than the configured age, so retention never drops a record younger
// than that, only keeps some up to a month longer.
package retention

import (
	"fmt"
	"strconv"
	"time"

	"github.com/gridcc/gridcc/backend/history"
)

// MinAuditDays is the shortest audit retention gridcc accepts: network
// logs are kept at least six months (Cybersecurity Law art. 21; 等保
// 8.1.4.3 asks for them to be protected from deletion).
const MinAuditDays = 180

// HistoryTables are the tables partitioned by month: by the report's
// district-local day (toYYYYMM(day)), the base tables, the aggregates built
// from them and the review's tables, and changes_by_time by the change's
// time (toYYYYMM(at)). They are dropped together so that every screen sees
// the same months. open_events (events open now, no partitions),
// history_meta and schema_migrations are never dropped.
var HistoryTables = []string{"events", "changes", "grid_daily", "kpi_daily", "kpi_daily_kind",
	"changes_by_time", "event_places", "case_states", "review_changes"}

// AuditTable is the audit log, partitioned by toYYYYMM(at).
const AuditTable = "audit"

// Policy says how long one table keeps its monthly partitions.
type Policy struct {
	Table    string
	KeepDays int // 0: for ever
}

// Policies returns the policies for historyDays of history and auditDays
// of audit log (0: keep for ever). It refuses an audit retention shorter
// than MinAuditDays and negative ages.
func Policies(historyDays, auditDays int) ([]Policy, error) {
	switch {
	case historyDays < 0 || auditDays < 0:
		return nil, fmt.Errorf("retention: negative age (history %d days, audit %d days)", historyDays, auditDays)
	case auditDays > 0 && auditDays < MinAuditDays:
		return nil, fmt.Errorf("retention: the audit log must be kept at least %d days, not %d (0 keeps it for ever)", MinAuditDays, auditDays)
	}
	var out []Policy
	if historyDays > 0 {
		for _, t := range HistoryTables {
			out = append(out, Policy{Table: t, KeepDays: historyDays})
		}
	}
	if auditDays > 0 {
		out = append(out, Policy{Table: AuditTable, KeepDays: auditDays})
	}
	return out, nil
}

// Expired returns the ids among ids of the monthly partitions (YYYYMM, as
// toYYYYMM makes them) to drop on today when keepDays are kept: those whose
// last day is more than keepDays+1 days before today. The extra day covers
// a partition key computed in another time zone than today's (the audit
// log's months are the server's, UTC), so nothing younger than keepDays is
// ever dropped. Ids that are not months ("all") are never expired, and
// keepDays <= 0 expires nothing.
func Expired(ids []string, today history.Date, keepDays int) []string {
	if keepDays <= 0 {
		return nil
	}
	cut := today.AddDays(-(keepDays + 1))
	var out []string
	for _, id := range ids {
		first, ok := monthOf(id)
		if !ok {
			continue
		}
		last := history.NewDate(first.Year(), first.Month()+1, 0)
		if last.Before(cut) {
			out = append(out, id)
		}
	}
	return out
}

// monthOf parses a toYYYYMM partition id into the first day of its month.
func monthOf(id string) (history.Date, bool) {
	if len(id) != 6 {
		return history.Date{}, false
	}
	n, err := strconv.Atoi(id)
	if err != nil || n < 0 {
		return history.Date{}, false
	}
	y, m := n/100, n%100
	if y < 1970 || m < 1 || m > 12 {
		return history.Date{}, false
	}
	return history.NewDate(y, time.Month(m), 1), true
}
