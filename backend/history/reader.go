package history

import (
	"context"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

// Filter narrows a question to one kind, category and/or street; empty
// fields do not filter.
type Filter struct {
	Kind     event.Kind `json:"kind,omitempty"`
	Category string     `json:"category,omitempty"`
	Street   string     `json:"street,omitempty"` // street_code
}

// ParseFilter validates the filter parameters: a known kind, a category of
// that kind (of any kind when none is given) and a well-formed street code.
func ParseFilter(kind, category, street string) (Filter, error) {
	f := Filter{Kind: event.Kind(kind), Category: category, Street: street}
	if kind != "" && !f.Kind.Valid() {
		return Filter{}, apperr.Field(apperr.Invalid, "kind", "kind must be one of grid_event, hotline, camera_alert, warning")
	}
	if category != "" && !knownCategory(f.Kind, category) {
		return Filter{}, apperr.Field(apperr.Invalid, "category", "unknown category %q (see docs/ingest.md for the codes)", truncate(category))
	}
	if street != "" && !event.ValidAreaCode(street) {
		return Filter{}, apperr.Field(apperr.Invalid, "street", "street must be a street code (%s)", event.AreaCodeRule)
	}
	return f, nil
}

func knownCategory(k event.Kind, code string) bool {
	if k != "" {
		return event.ValidCategory(k, code)
	}
	for _, k := range event.Kinds {
		if event.ValidCategory(k, code) {
			return true
		}
	}
	return false
}

func truncate(s string) string {
	if r := []rune(s); len(r) > 40 {
		return string(r[:40]) + "…"
	}
	return s
}

// Dimension is what counts are grouped by.
type Dimension string

// The dimensions.
const (
	ByKind     Dimension = "kind"
	ByCategory Dimension = "category"
	ByStreet   Dimension = "street"
	ByGrid     Dimension = "grid"
)

// Place is what the recurring list groups repeated events by.
type Place string

// The places.
const (
	AtGrid    Place = "grid"
	AtAddress Place = "address"
)

// Point is one count of a trend: events reported in bucket Bucket with
// dimension value Key.
type Point struct {
	Bucket Date
	Key    string
	Count  int64
}

// Occurrence is one place and the report times of the events there.
type Occurrence struct {
	Place  string      // the grid id, or the address
	GridID string      // the grid (of the latest event, for an address)
	Times  []time.Time // report times, oldest first
}

// OpenLoad counts the events of one grid and severity that are open now,
// and how many of them are past their SLA.
type OpenLoad struct {
	GridID   string
	Severity event.Severity
	Open     int64
	Overdue  int64
}

// Reader answers the questions the stats are built from.
//
// Contract: every figure counts each log record once, however often the
// writer delivered it; days are the district-local days the writer stored;
// a key with nothing in the period is absent from maps and lists (callers
// fill gaps). Errors are *apperr.Error with code Unavailable when the store
// cannot be reached, so the API answers 503.
type Reader interface {
	// Figures returns the KPI counts and handling-time quantiles of the
	// events reported in p that match f (Figures.finish adds the rates).
	Figures(ctx context.Context, f Filter, p Period) (Figures, error)
	// Counts returns the number of events reported in p matching f, per
	// value of by.
	Counts(ctx context.Context, f Filter, p Period, by Dimension) (map[string]int64, error)
	// Series returns the counts per bucket of g and value of by; keys, when
	// not empty, limits the values returned.
	Series(ctx context.Context, f Filter, p Period, g Granularity, by Dimension, keys []string) ([]Point, error)
	// Occurrences returns the places where at least least events of category
	// were reported in p (within street, if not empty), with their report
	// times. Events without an address are left out when at is AtAddress.
	Occurrences(ctx context.Context, category, street string, p Period, at Place, least int) ([]Occurrence, error)
	// OpenLoad returns the events open now per grid and severity, with how
	// many are past their due time at now.
	OpenLoad(ctx context.Context, now time.Time) ([]OpenLoad, error)

	// CountLate returns how many events reported in p matching f are open
	// and past their due time at now, and how many of their closings came
	// after the due time (see cases.go).
	CountLate(ctx context.Context, f Filter, p Period, now time.Time) (openOverdue, closedLate int64, err error)
	// LateCases returns one page of list, most late first (ties by event
	// id, then closing time), with the title and address of each event.
	LateCases(ctx context.Context, f Filter, p Period, list CaseList, now time.Time, page Page) ([]LateCase, error)
	// Summonses returns the whistle, check-in and missed-check-in steps of
	// the events reported in p matching f, one per department, ordered by
	// event, department and seq.
	Summonses(ctx context.Context, f Filter, p Period) ([]SummonsStep, error)
	// ReplayCount returns the number of records with from ≤ change time < to
	// matching f.
	ReplayCount(ctx context.Context, f Filter, from, to time.Time) (int64, error)
	// ReplayPage returns up to limit records matching f after the cursor
	// (by change time in seconds, then seq) and before to, in that order,
	// each with its event's place and title.
	ReplayPage(ctx context.Context, f Filter, after ReplayCursor, to time.Time, limit int) ([]ReplayItem, error)

	// SearchCount returns how many events match q (see search.go), counting
	// no further than upTo.
	SearchCount(ctx context.Context, q SearchQuery, upTo int64) (int64, error)
	// SearchPage returns q's page of the events that match it, newest
	// report first (ties by event id), each with its state now and last
	// dispatch target.
	SearchPage(ctx context.Context, q SearchQuery) ([]CaseRow, error)
}
