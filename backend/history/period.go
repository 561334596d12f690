package history

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
)

// MaxPeriodDays bounds a period: two years and a day covers "this year
// against last year" with room to spare, and keeps every query bounded.
const MaxPeriodDays = 731

// DefaultPeriodDays is the period when none is given: the last 7 days up to
// today, the span of the weekly review.
const DefaultPeriodDays = 7

// Period is a run of district-local days, both ends included. Week is set
// when it was given as an ISO week; its year-ago period is then the same
// week number a year earlier.
type Period struct {
	From Date   `json:"from"`
	To   Date   `json:"to"`
	Week string `json:"week,omitempty"` // YYYY-Www, when given as a week
}

// Days returns the number of days in p.
func (p Period) Days() int { return p.To.DaysSince(p.From) + 1 }

// Label names p for file names and audit records: its ISO week, its one
// day, or from_to.
func (p Period) Label() string {
	switch {
	case p.Week != "":
		return p.Week
	case p.From == p.To:
		return p.From.String()
	}
	return p.From.String() + "_" + p.To.String()
}

// Contains reports whether d lies in p.
func (p Period) Contains(d Date) bool { return !d.Before(p.From) && !d.After(p.To) }

// Previous returns the period of the same length that ends the day before p.
func (p Period) Previous() Period {
	if p.Week != "" {
		return weekPeriod(p.From.AddDays(-7))
	}
	n := p.Days()
	return Period{From: p.From.AddDays(-n), To: p.From.AddDays(-1)}
}

// YearAgo returns the same period a year earlier: the same ISO week number
// for a week (week 52 when the earlier year has no week 53), the same
// calendar dates otherwise (29 February becomes the 28th).
func (p Period) YearAgo() Period {
	if p.Week != "" {
		y, w := p.From.ISOWeek()
		mon, ok := isoWeekMonday(y-1, w)
		if !ok {
			mon, _ = isoWeekMonday(y-1, 52)
		}
		return weekPeriod(mon)
	}
	return Period{From: yearEarlier(p.From), To: yearEarlier(p.To)}
}

func yearEarlier(d Date) Date {
	e := NewDate(d.Year()-1, d.Month(), d.Day())
	if e.Month() != d.Month() { // 29 February in a year without one
		e = NewDate(d.Year()-1, d.Month()+1, 0)
	}
	return e
}

func weekPeriod(monday Date) Period {
	y, w := monday.ISOWeek()
	return Period{From: monday, To: monday.AddDays(6), Week: fmt.Sprintf("%04d-W%02d", y, w)}
}

// isoWeekMonday returns the Monday of ISO week w of year y, and whether
// that week exists.
func isoWeekMonday(y, w int) (Date, bool) {
	if w < 1 || w > 53 {
		return Date{}, false
	}
	// 4 January is always in week 1.
	mon := NewDate(y, time.January, 4).Monday().AddDays(7 * (w - 1))
	gy, gw := mon.ISOWeek()
	return mon, gy == y && gw == w
}

var weekRE = regexp.MustCompile(`^(\d{4})-W(\d{2})$`)

// ParsePeriod reads a period from query parameters: either week=YYYY-Www,
// or from and/or to as YYYY-MM-DD (inclusive; a missing from means
// DefaultPeriodDays before to, a missing to means today), or nothing for
// the last DefaultPeriodDays days. today is the district-local date. Errors
// are apperr.Invalid naming the parameter.
func ParsePeriod(from, to, week string, today Date) (Period, error) {
	if week != "" {
		if from != "" || to != "" {
			return Period{}, apperr.Field(apperr.Invalid, "week", "give either week or from/to, not both")
		}
		m := weekRE.FindStringSubmatch(week)
		if m == nil {
			return Period{}, apperr.Field(apperr.Invalid, "week", "week must be an ISO week like 2025-W23")
		}
		y, _ := strconv.Atoi(m[1])
		w, _ := strconv.Atoi(m[2])
		mon, ok := isoWeekMonday(y, w)
		if !ok || y < minYear || y > maxYear {
			return Period{}, apperr.Field(apperr.Invalid, "week", "week %s does not exist", week)
		}
		return weekPeriod(mon), nil
	}
	p := Period{To: today}
	var err error
	if to != "" {
		if p.To, err = parseDay("to", to); err != nil {
			return Period{}, err
		}
	}
	p.From = p.To.AddDays(1 - DefaultPeriodDays)
	if from != "" {
		if p.From, err = parseDay("from", from); err != nil {
			return Period{}, err
		}
	}
	switch {
	case p.To.Before(p.From):
		return Period{}, apperr.Field(apperr.Invalid, "to", "to (%s) must not be before from (%s)", p.To, p.From)
	case p.Days() > MaxPeriodDays:
		return Period{}, apperr.Field(apperr.Invalid, "from", "a period may span at most %d days (this one has %d)", MaxPeriodDays, p.Days())
	}
	return p, nil
}

// The years a period may lie in: wide enough for any history, narrow
// enough that arithmetic on them never surprises.
const (
	minYear = 2000
	maxYear = 2100
)

func parseDay(field, s string) (Date, error) {
	d, err := ParseDate(s)
	if err != nil {
		return Date{}, apperr.Field(apperr.Invalid, field, "%s must be a date like 2025-06-01", field)
	}
	if d.Year() < minYear || d.Year() > maxYear {
		return Date{}, apperr.Field(apperr.Invalid, field, "%s must lie between %d and %d", field, minYear, maxYear)
	}
	return d, nil
}

// Granularity is the bucket size of a trend.
type Granularity string

// The granularities. A week bucket is named by its Monday, a month bucket
// by its first day; partial buckets at either end count only the period's
// days.
const (
	Daily   Granularity = "day"
	Weekly  Granularity = "week"
	Monthly Granularity = "month"
)

// ParseGranularity reads day, week or month; empty picks one for the
// period's length (day up to 62 days, week up to 366, month beyond).
func ParseGranularity(s string, p Period) (Granularity, error) {
	switch g := Granularity(s); g {
	case Daily, Weekly, Monthly:
		return g, nil
	case "":
		switch n := p.Days(); {
		case n <= 62:
			return Daily, nil
		case n <= 366:
			return Weekly, nil
		}
		return Monthly, nil
	}
	return "", apperr.Field(apperr.Invalid, "granularity", "granularity must be day, week or month")
}

// Bucket returns the bucket d falls in.
func (g Granularity) Bucket(d Date) Date {
	switch g {
	case Weekly:
		return d.Monday()
	case Monthly:
		return d.FirstOfMonth()
	}
	return d
}

// Buckets returns every bucket of p in order, so that a trend has a point
// for each even where nothing happened.
func (g Granularity) Buckets(p Period) []Date {
	var out []Date
	for b := g.Bucket(p.From); !b.After(p.To); {
		out = append(out, b)
		switch g {
		case Weekly:
			b = b.AddDays(7)
		case Monthly:
			b = NewDate(b.Year(), b.Month()+1, 1)
		default:
			b = b.AddDays(1)
		}
	}
	return out
}
