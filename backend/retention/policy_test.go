package retention_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/retention"
)

func TestExpired(t *testing.T) {
	ids := []string{"202310", "202311", "202312", "202401", "202402", "202403", "2023", "2024",
		"all", "20240101", "202413", "202400", "19xx01", "19xx", "1969"}
	for _, tc := range []struct {
		name  string
		today history.Date
		keep  int
		want  []string
	}{
		{"OK_offKeepsEverything", history.NewDate(2030, 1, 1), 0, nil},
		{"OK_negativeKeepsEverything", history.NewDate(2030, 1, 1), -5, nil},
		// keep 31: the cut is today − 32 days. On 2024-03-01 it is 01-29,
		// so January (last day the 31st) stays and December goes, with
		// 2023, whose last day is December's.
		{"OK_monthWithAYoungDayStays", history.NewDate(2024, 3, 1), 31, []string{"202310", "202311", "202312", "2023"}},
		// On 03-03 the cut is 01-31, January's last day: it still stays.
		{"OK_lastDayAtTheCutStays", history.NewDate(2024, 3, 3), 31, []string{"202310", "202311", "202312", "2023"}},
		{"OK_dayAfterGoes", history.NewDate(2024, 3, 4), 31, []string{"202310", "202311", "202312", "202401", "2023"}},
		// 180 days: on 2024-08-31 the cut is 2024-03-02; February (last day
		// the 29th, a leap year) goes, March stays.
		{"OK_auditHalfYear", history.NewDate(2024, 8, 31), 180, []string{"202310", "202311", "202312", "202401", "202402", "2023"}},
		// On 2024-01-01 the cut is 2023-12-30: December and 2023 stay.
		{"OK_yearWithAYoungDayStays", history.NewDate(2024, 1, 1), 1, []string{"202310", "202311"}},
		{"OK_nothingOldEnough", history.NewDate(2024, 3, 31), 365, nil},
		{"OK_everyMonthOld", history.NewDate(2030, 1, 1), 1, []string{"202310", "202311", "202312", "202401", "202402", "202403", "2023", "2024"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := retention.Expired(ids, tc.today, tc.keep)
			if !slices.Equal(got, tc.want) {
				t.Errorf("Expired(today %s, keep %d) = %v, want %v", tc.today, tc.keep, got, tc.want)
			}
		})
	}
}

// TestExpiredNeverDropsAYoungRecord walks two years of days: on none of
// them does a dropped month or year hold a day younger than keep days plus
// the day of margin for another time zone.
func TestExpiredNeverDropsAYoungRecord(t *testing.T) {
	var ids []string
	lastDay := map[string]history.Date{}
	for y := 2022; y <= 2025; y++ {
		ids = append(ids, fmt.Sprint(y))
		lastDay[fmt.Sprint(y)] = history.NewDate(y, 12, 31)
		for m := time.January; m <= time.December; m++ {
			id := fmt.Sprintf("%d%02d", y, m)
			ids = append(ids, id)
			lastDay[id] = history.NewDate(y, m+1, 0)
		}
	}
	for _, keep := range []int{1, 30, 180, 365, 731} {
		for today := history.NewDate(2023, 1, 1); today.Before(history.NewDate(2025, 1, 1)); today = today.AddDays(1) {
			for _, id := range retention.Expired(ids, today, keep) {
				if age := today.DaysSince(lastDay[id]); age <= keep+1 {
					t.Fatalf("keep %d, today %s: dropped %s whose last day is %d days old", keep, today, id, age)
				}
			}
		}
	}
}

func TestPolicies(t *testing.T) {
	for _, tc := range []struct {
		name            string
		history, audit  int
		wantTables      int
		wantErr         bool
		wantAuditPolicy bool
	}{
		{"OK_bothOff", 0, 0, 0, false, false},
		{"OK_historyOnly", 731, 0, len(retention.HistoryTables) + len(retention.YearlyTables), false, false},
		{"OK_auditAtTheMinimum", 0, retention.MinAuditDays, 1, false, true},
		{"OK_both", 400, 365, len(retention.HistoryTables) + len(retention.YearlyTables) + 1, false, true},
		{"ErrAuditTooShort", 0, retention.MinAuditDays - 1, 0, true, false},
		{"ErrAuditOneDay", 731, 1, 0, true, false},
		{"ErrNegativeHistory", -1, 0, 0, true, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ps, err := retention.Policies(tc.history, tc.audit)
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if len(ps) != tc.wantTables {
				t.Fatalf("%d policies, want %d: %+v", len(ps), tc.wantTables, ps)
			}
			for _, p := range ps {
				if p.Yearly != slices.Contains(retention.YearlyTables, p.Table) {
					t.Errorf("policy %+v: yearly %v, want it exactly for the yearly tables", p, p.Yearly)
				}
			}
			hasAudit := slices.ContainsFunc(ps, func(p retention.Policy) bool { return p.Table == retention.AuditTable })
			if hasAudit != tc.wantAuditPolicy {
				t.Errorf("audit policy present %v, want %v", hasAudit, tc.wantAuditPolicy)
			}
		})
	}
}
