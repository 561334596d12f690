package history

import (
	"context"
	"time"

	"github.com/gridcc/gridcc/backend/event"
)

// The review's two lists of late cases, both about the cases reported in a
// period (the cohort every KPI is about, so the lists explain the figures):
//
//   - open and overdue: open now, and past the close deadline of the SLA
//     table (report + SLA) now;
//   - closed late: every closing after that deadline. A case reopened and
//     closed late twice is listed twice, as the on-time rate counts it
//     twice, so the list's total is always closings − on time of the
//     summary.
//
// Both are ordered most late first; the deadline is the history's SLA
// (DefaultSLAs, stored with each row), the same one the case workflow's
// close clock and the on-time rate use.

// CaseList names one of the two lists.
type CaseList string

// The lists.
const (
	OpenOverdue CaseList = "open"
	ClosedLate  CaseList = "closed_late"
)

// Paging bounds of the lists.
const (
	DefaultPageSize = 50
	MaxPageSize     = 500
	// MaxOffset bounds how deep a list can be paged; a longer list asks
	// for a narrower period or filter.
	MaxOffset = 100000
)

// Page is a slice of a list: Limit rows after the first Offset.
type Page struct {
	Limit  int
	Offset int
}

// CaseRow is one case in a list of cases: a late-case list, the history
// search. Title and address are as stored; the HTTP layer masks them for
// callers that may not see personal data.
type CaseRow struct {
	EventID     string         `json:"event_id"`
	Kind        event.Kind     `json:"kind"`
	Category    string         `json:"category"`
	Severity    event.Severity `json:"severity"`
	Title       string         `json:"title"`
	Address     string         `json:"address"`
	GridID      string         `json:"grid_id"`
	CommunityID string         `json:"community_id"`
	StreetCode  string         `json:"street_code"`
	Status      event.Status   `json:"status"`   // the state now
	Assignee    string         `json:"assignee"` // the last dispatch target; "" when never dispatched
	ReportedAt  time.Time      `json:"reported_at"`
}

// LateCase is one row of a late-case list.
type LateCase struct {
	CaseRow
	DueAt    time.Time  `json:"due_at"`              // report + SLA
	ClosedAt *time.Time `json:"closed_at,omitempty"` // closed late: that closing
	LateS    int64      `json:"late_s"`              // open: now − due; closed late: closing − due
}

// LateCases is one page of a late-case list, with both lists' totals (the
// screen shows them on its tabs).
type LateCases struct {
	Filter      Filter     `json:"filter"`
	Period      Period     `json:"period"`
	List        CaseList   `json:"list"`
	Now         time.Time  `json:"now"` // the moment "open and overdue" was judged at
	OpenOverdue int64      `json:"open_overdue"`
	ClosedLate  int64      `json:"closed_late"`
	Offset      int        `json:"offset"`
	Limit       int        `json:"limit"`
	Items       []LateCase `json:"items"` // most late first
}

// Total returns the number of rows of the list l has.
func (l LateCases) Total() int64 {
	if l.List == ClosedLate {
		return l.ClosedLate
	}
	return l.OpenOverdue
}

// Overdue returns one page of list for the cases reported in p that match
// f, and both lists' totals, judged at now.
func (s *Stats) Overdue(ctx context.Context, f Filter, p Period, list CaseList, page Page) (LateCases, error) {
	now := s.now().UTC().Truncate(time.Second)
	out := LateCases{Filter: f, Period: p, List: list, Now: now, Offset: page.Offset, Limit: page.Limit}
	err := parallel(2, func(i int) (err error) {
		if i == 0 {
			out.OpenOverdue, out.ClosedLate, err = s.r.CountLate(ctx, f, p, now)
		} else {
			out.Items, err = s.r.LateCases(ctx, f, p, list, now, page)
		}
		return err
	})
	if err != nil {
		return LateCases{}, err
	}
	if out.Items == nil {
		out.Items = []LateCase{}
	}
	return out, nil
}
