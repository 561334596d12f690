package history_test

import (
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/history"
)

func d(y, m, day int) history.Date { return history.NewDate(y, timeMonth(m), day) }

func TestParsePeriod(t *testing.T) {
	today := d(2025, 6, 5)
	for _, tc := range []struct {
		name           string
		from, to, week string
		want           history.Period
		errField       string
	}{
		{name: "OK_default_last7days", want: history.Period{From: d(2025, 5, 30), To: today}},
		{name: "OK_fromTo", from: "2025-01-01", to: "2025-01-31", want: history.Period{From: d(2025, 1, 1), To: d(2025, 1, 31)}},
		{name: "OK_onlyTo", to: "2025-03-10", want: history.Period{From: d(2025, 3, 4), To: d(2025, 3, 10)}},
		{name: "OK_week", week: "2025-W23", want: history.Period{From: d(2025, 6, 2), To: d(2025, 6, 8), Week: "2025-W23"}},
		{name: "OK_week1StartsInDecember", week: "2025-W01", want: history.Period{From: d(2024, 12, 30), To: d(2025, 1, 5), Week: "2025-W01"}},
		{name: "OK_week53", week: "2020-W53", want: history.Period{From: d(2020, 12, 28), To: d(2021, 1, 3), Week: "2020-W53"}},
		{name: "ErrNoWeek53", week: "2025-W53", errField: "week"},
		{name: "ErrWeekFormat", week: "2025-23", errField: "week"},
		{name: "ErrWeekAndDates", week: "2025-W23", from: "2025-01-01", errField: "week"},
		{name: "ErrBadDate", from: "2025-02-30", errField: "from"},
		{name: "ErrToBeforeFrom", from: "2025-02-10", to: "2025-02-01", errField: "to"},
		{name: "ErrTooLong", from: "2020-01-01", to: "2025-01-01", errField: "from"},
		{name: "ErrYearOutOfRange", to: "1999-12-31", errField: "to"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := history.ParsePeriod(tc.from, tc.to, tc.week, today)
			if tc.errField != "" {
				var e *apperr.Error
				if !asAppErr(err, &e) || e.Code != apperr.Invalid || e.Field != tc.errField {
					t.Fatalf("err = %v, want Invalid on field %s", err, tc.errField)
				}
				return
			}
			if err != nil || got != tc.want {
				t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
			}
		})
	}
}

func TestPeriodComparisons(t *testing.T) {
	for _, tc := range []struct {
		name              string
		p                 history.Period
		previous, yearAgo history.Period
	}{
		{"OK_week", history.Period{From: d(2025, 6, 2), To: d(2025, 6, 8), Week: "2025-W23"},
			history.Period{From: d(2025, 5, 26), To: d(2025, 6, 1), Week: "2025-W22"},
			history.Period{From: d(2024, 6, 3), To: d(2024, 6, 9), Week: "2024-W23"}},
		{"OK_week53HasNoTwinAYearEarlier", history.Period{From: d(2020, 12, 28), To: d(2021, 1, 3), Week: "2020-W53"},
			history.Period{From: d(2020, 12, 21), To: d(2020, 12, 27), Week: "2020-W52"},
			history.Period{From: d(2019, 12, 23), To: d(2019, 12, 29), Week: "2019-W52"}},
		{"OK_month", history.Period{From: d(2025, 3, 1), To: d(2025, 3, 31)},
			history.Period{From: d(2025, 1, 29), To: d(2025, 2, 28)},
			history.Period{From: d(2024, 3, 1), To: d(2024, 3, 31)}},
		{"OK_leapDay", history.Period{From: d(2024, 2, 29), To: d(2024, 2, 29)},
			history.Period{From: d(2024, 2, 28), To: d(2024, 2, 28)},
			history.Period{From: d(2023, 2, 28), To: d(2023, 2, 28)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.p.Previous(); got != tc.previous {
				t.Errorf("previous = %+v, want %+v", got, tc.previous)
			}
			if got := tc.p.YearAgo(); got != tc.yearAgo {
				t.Errorf("year ago = %+v, want %+v", got, tc.yearAgo)
			}
		})
	}
}

func TestGranularity(t *testing.T) {
	p := history.Period{From: d(2025, 1, 30), To: d(2025, 3, 2)}
	for _, tc := range []struct {
		g     history.Granularity
		first history.Date
		n     int
	}{
		{history.Daily, d(2025, 1, 30), 32},
		{history.Weekly, d(2025, 1, 27), 5},
		{history.Monthly, d(2025, 1, 1), 3},
	} {
		b := tc.g.Buckets(p)
		if len(b) != tc.n || b[0] != tc.first {
			t.Errorf("%s buckets: %d starting %s, want %d starting %s", tc.g, len(b), b[0], tc.n, tc.first)
		}
	}
	for in, want := range map[string]history.Granularity{"": history.Daily, "month": history.Monthly} {
		if g, err := history.ParseGranularity(in, p); err != nil || g != want {
			t.Errorf("ParseGranularity(%q) = %s, %v; want %s", in, g, err, want)
		}
	}
	if _, err := history.ParseGranularity("hour", p); !apperr.Is(err, apperr.Invalid) {
		t.Errorf("hour: err = %v, want Invalid", err)
	}
}

func TestPeriodLabel(t *testing.T) {
	d := history.NewDate(2025, 6, 2)
	for _, tc := range []struct {
		p    history.Period
		want string
	}{
		{history.Period{From: d, To: d.AddDays(6), Week: "2025-W23"}, "2025-W23"},
		{history.Period{From: d, To: d}, "2025-06-02"},
		{history.Period{From: d, To: d.AddDays(2)}, "2025-06-02_2025-06-04"},
	} {
		if got := tc.p.Label(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.p, got, tc.want)
		}
	}
}
