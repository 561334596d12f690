package history

import (
	"encoding/json"
	"fmt"
	"time"
)

// Date is a calendar day in the district's time zone, with no time of day.
// The history stores each record's district-local day (computed by the
// writer from the configured zone), so days and weeks on every screen are
// the district's even though the store runs in UTC.
type Date struct{ t time.Time } // midnight UTC of that calendar day

// DateOf returns the calendar day of t in zone.
func DateOf(t time.Time, zone *time.Location) Date {
	y, m, d := t.In(zone).Date()
	return NewDate(y, m, d)
}

// NewDate returns the given day; out-of-range values normalise like
// time.Date (January 32 is February 1).
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, err
	}
	return Date{t}, nil
}

// String formats the day as YYYY-MM-DD.
func (d Date) String() string { return d.t.Format(time.DateOnly) }

// IsZero reports whether d is the zero Date.
func (d Date) IsZero() bool { return d.t.IsZero() }

// AddDays returns the day n days later (earlier for negative n).
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// DaysSince returns the number of days from e to d (negative if d is before e).
func (d Date) DaysSince(e Date) int { return int(d.t.Sub(e.t).Hours() / 24) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// Year returns d's year.
func (d Date) Year() int { return d.t.Year() }

// Month returns d's month.
func (d Date) Month() time.Month { return d.t.Month() }

// Day returns d's day of the month.
func (d Date) Day() int { return d.t.Day() }

// ISOWeek returns the ISO 8601 year and week of d.
func (d Date) ISOWeek() (year, week int) { return d.t.ISOWeek() }

// Monday returns the Monday of d's ISO week (weeks start on Monday).
func (d Date) Monday() Date {
	return d.AddDays(-((int(d.t.Weekday()) + 6) % 7))
}

// FirstOfMonth returns the first day of d's month.
func (d Date) FirstOfMonth() Date { return NewDate(d.Year(), d.Month(), 1) }

// Start returns the first instant of d in zone.
func (d Date) Start(zone *time.Location) time.Time {
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, zone)
}

// Time returns midnight UTC of d: the value a store's Date column takes.
func (d Date) Time() time.Time { return d.t }

// DateFromTime is the inverse of Time: the calendar day of t's UTC date.
// Stores return Date columns as midnight UTC.
func DateFromTime(t time.Time) Date {
	y, m, dd := t.UTC().Date()
	return NewDate(y, m, dd)
}

// MarshalJSON writes "YYYY-MM-DD".
func (d Date) MarshalJSON() ([]byte, error) { return json.Marshal(d.String()) }

// UnmarshalJSON reads "YYYY-MM-DD".
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := ParseDate(s)
	if err != nil {
		return fmt.Errorf("history: date %q: %w", s, err)
	}
	*d = v
	return nil
}
