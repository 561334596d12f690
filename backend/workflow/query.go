package workflow

import (
	"cmp"
	"encoding/base64"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
)

// Paging bounds of GET /api/v1/events.
const (
	DefaultLimit = 50
	MaxLimit     = 500
)

// Status filters beyond the states themselves.
const (
	StatusOpen = "open" // every open state
	StatusDone = "done" // every terminal state
)

// Listed is an event from Reader.Events with the time it was done (zero
// while open).
type Listed struct {
	Event    event.Event
	ClosedAt time.Time
}

// Query filters and pages the open and recently done events. Empty fields
// do not filter.
type Query struct {
	Status   string // a state, StatusOpen or StatusDone
	Kind     event.Kind
	Street   string
	Grid     string
	Severity event.Severity
	Overdue  *bool
	Assignee string
	Text     string // case-insensitive part of the id or title
	Limit    int    // 1–MaxLimit; 0 is DefaultLimit
	Cursor   string // NextCursor of the previous page
}

// Counts are figures over every event the query matches (all pages).
type Counts struct {
	Status       map[event.Status]int   `json:"status"`
	Kind         map[event.Kind]int     `json:"kind"`
	Severity     map[event.Severity]int `json:"severity"`
	Street       map[string]int         `json:"street"`
	OpenOverdue  int                    `json:"open_overdue"` // open, a deadline passed
	ClosedLate   int                    `json:"closed_late"`  // closed (or rated, acknowledged) after its close deadline
	ClosedOnTime int                    `json:"closed_on_time"`
}

// Page is one page of a query.
type Page struct {
	Items      []event.Event `json:"items"`
	NextCursor string        `json:"next_cursor,omitempty"` // empty on the last page
	Total      int           `json:"total"`                 // events matching, all pages
	Counts     Counts        `json:"counts"`
}

// Check validates the query's enumerations and bounds (Invalid naming the
// parameter).
func (q *Query) Check() error {
	switch {
	case q.Status != "" && q.Status != StatusOpen && q.Status != StatusDone && !event.Status(q.Status).Valid():
		return apperr.Field(apperr.Invalid, "status", "status must be open, done or a state (reported, dispatched, …)")
	case q.Kind != "" && !q.Kind.Valid():
		return apperr.Field(apperr.Invalid, "kind", "kind must be grid_event, hotline, camera_alert or warning")
	case q.Severity != "" && !q.Severity.Valid():
		return apperr.Field(apperr.Invalid, "severity", "severity must be low, medium, high or critical")
	case q.Limit < 0 || q.Limit > MaxLimit:
		return apperr.Field(apperr.Invalid, "limit", "limit must be 1-%d", MaxLimit)
	}
	if _, _, err := decodeCursor(q.Cursor); err != nil {
		return err
	}
	return nil
}

// Run applies the query to the events visible to the caller: filters,
// counts, orders newest report first (then id) and cuts the page after the
// cursor.
func (q *Query) Run(all []Listed, visible func(*event.Event) bool) Page {
	var match []Listed
	for _, l := range all {
		if q.matches(&l.Event) && visible(&l.Event) {
			match = append(match, l)
		}
	}
	slices.SortFunc(match, func(a, b Listed) int {
		return cmp.Or(b.Event.ReportedAt.Compare(a.Event.ReportedAt), cmp.Compare(b.Event.ID, a.Event.ID))
	})
	page := Page{Total: len(match), Counts: countAll(match), Items: []event.Event{}}
	at, id, _ := decodeCursor(q.Cursor)
	start := 0
	if q.Cursor != "" {
		start = len(match)
		for i, l := range match {
			if t := l.Event.ReportedAt.UnixNano(); t < at || t == at && l.Event.ID < id {
				start = i
				break
			}
		}
	}
	limit := cmp.Or(q.Limit, DefaultLimit)
	end := min(start+limit, len(match))
	for _, l := range match[start:end] {
		page.Items = append(page.Items, l.Event)
	}
	if end < len(match) {
		last := match[end-1].Event
		page.NextCursor = encodeCursor(last.ReportedAt.UnixNano(), last.ID)
	}
	return page
}

func (q *Query) matches(e *event.Event) bool {
	switch {
	case q.Status == StatusOpen && !e.Open(),
		q.Status == StatusDone && e.Open(),
		q.Status != "" && q.Status != StatusOpen && q.Status != StatusDone && string(e.Status) != q.Status,
		q.Kind != "" && e.Kind != q.Kind,
		q.Street != "" && e.StreetCode != q.Street,
		q.Grid != "" && e.GridID != q.Grid,
		q.Severity != "" && e.Severity != q.Severity,
		q.Overdue != nil && e.Overdue != *q.Overdue,
		q.Assignee != "" && e.Assignee != q.Assignee:
		return false
	}
	if q.Text == "" {
		return true
	}
	t := strings.ToLower(q.Text)
	return strings.Contains(strings.ToLower(e.ID), t) || strings.Contains(strings.ToLower(e.Title), t)
}

func countAll(ls []Listed) Counts {
	c := Counts{Status: map[event.Status]int{}, Kind: map[event.Kind]int{}, Severity: map[event.Severity]int{}, Street: map[string]int{}}
	for _, l := range ls {
		e := &l.Event
		c.Status[e.Status]++
		c.Kind[e.Kind]++
		c.Severity[e.Severity]++
		c.Street[e.StreetCode]++
		switch {
		case e.Open() && e.Overdue:
			c.OpenOverdue++
		case e.Status == event.Merged || e.Open() || l.ClosedAt.IsZero() || e.CloseBy.IsZero():
		case l.ClosedAt.After(e.CloseBy):
			c.ClosedLate++
		default:
			c.ClosedOnTime++
		}
	}
	return c
}

func encodeCursor(at int64, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at, 10) + " " + id))
}

func decodeCursor(s string) (int64, string, error) {
	if s == "" {
		return 0, "", nil
	}
	bad := apperr.Field(apperr.Invalid, "cursor", "cursor must be the next_cursor of a previous page")
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return 0, "", bad
	}
	ts, id, ok := strings.Cut(string(raw), " ")
	at, err := strconv.ParseInt(ts, 10, 64)
	if !ok || err != nil || id == "" {
		return 0, "", bad
	}
	return at, id, nil
}
