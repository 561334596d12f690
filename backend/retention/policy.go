// Package retention drops history older than the configured age.
//
// ClickHouse 18.16 has no TTL, so age is enforced by a job. Most history
// tables are partitioned by toYYYYMM of the record's district-local day (or
// of its time), the audit log by toYYYYMM of its time: the job drops whole
// monthly partitions (`ALTER TABLE … DROP PARTITION`). The aggregates keyed
// by report day are partitioned by year (fewer parts per insert; see
// chstore's migration 007): the job drops a year once all of it is expired
// and deletes the expired months of the year before that (`ALTER TABLE …
// DELETE`). A month goes only when every day in it is older than the
// configured age, so retention never drops a record younger than that,
// only keeps some up to a month longer.
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

// HistoryTables are the history tables partitioned by month: by the
// report's district-local day (toYYYYMM(day)), the events and the
// aggregates built from them, and change_log by the change's time
// (toYYYYMM(at)). They and YearlyTables lose the same months, so that
// every screen sees the same months. open_events (events open now, no
// partitions), history_meta and schema_migrations are never dropped.
var HistoryTables = []string{"events", "change_log", "grid_daily", "event_places"}

// YearlyTables are the history tables partitioned by year of the report's
// district-local day (toYear(day)).
var YearlyTables = []string{"kpi_daily", "kpi_daily_kind", "case_states", "review_changes"}

// AuditTable is the audit log, partitioned by toYYYYMM(at).
const AuditTable = "audit"

// Policy says how long one table keeps its months.
type Policy struct {
	Table    string
	KeepDays int  // 0: for ever
	Yearly   bool // partitioned by year: expired months are deleted within
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
		for _, t := range YearlyTables {
			out = append(out, Policy{Table: t, KeepDays: historyDays, Yearly: true})
		}
	}
	if auditDays > 0 {
		out = append(out, Policy{Table: AuditTable, KeepDays: auditDays})
	}
	return out, nil
}

// KeptFrom is the first day retention keeps on today when keepDays are
// kept: the first day of the month of today−(keepDays+1). A month goes when
// its last day is more than keepDays+1 days before today. The extra day
// covers a partition key computed in another time zone than today's (the
// audit log's and change_log's months are UTC ones), so nothing younger
// than keepDays is ever dropped.
func KeptFrom(today history.Date, keepDays int) history.Date {
	cut := today.AddDays(-(keepDays + 1))
	return history.NewDate(cut.Year(), cut.Month(), 1)
}

// Expired returns the ids among ids of the monthly (YYYYMM, as toYYYYMM
// makes them) or yearly (YYYY) partitions to drop on today when keepDays
// are kept: those wholly before KeptFrom. Other ids ("all") are never
// expired, and keepDays <= 0 expires nothing.
func Expired(ids []string, today history.Date, keepDays int) []string {
	if keepDays <= 0 {
		return nil
	}
	kept := KeptFrom(today, keepDays)
	var out []string
	for _, id := range ids {
		if next, ok := partitionEnd(id); ok && !kept.Before(next) {
			out = append(out, id)
		}
	}
	return out
}

// partitionEnd parses a toYYYYMM or toYear partition id into the first day
// after the partition.
func partitionEnd(id string) (history.Date, bool) {
	if len(id) == 4 {
		y, err := strconv.Atoi(id)
		if err != nil || y < 1970 {
			return history.Date{}, false
		}
		return history.NewDate(y+1, 1, 1), true
	}
	first, ok := monthOf(id)
	if !ok {
		return history.Date{}, false
	}
	return history.NewDate(first.Year(), first.Month()+1, 1), true
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
