package history

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/gridcc/gridcc/backend/apperr"
)

// The history search finds cases by what a duty officer remembers of them —
// part of the title or the address, or the event or source id — among
// every case reported in a period, closed long ago or open now. The live
// list (Redis) holds only open cases and those done in the last 30 days;
// this is the rest.

// Bounds of the search.
const (
	MinSearchText = 2   // characters: one is no question, it matches everything
	MaxSearchText = 100 // characters: longer than any title or address
	// DefaultSearchDays is the period without from, to or week: the last
	// year of district days.
	DefaultSearchDays = 365
	// SearchTotalCap is where the search stops counting: past it the total
	// says "at least this many" (SearchResult.TotalCapped), and the caller
	// should narrow the question rather than page on.
	SearchTotalCap = 10000
)

// Scope limits a search to the places a caller may see (auth.Scope): nil
// lists do not restrict, an empty list passes nothing.
type Scope struct {
	Streets     []string
	Communities []string
}

// SearchQuery is one question to the history search.
type SearchQuery struct {
	Text   string // ParseSearchText's: 2–100 characters, trimmed
	Filter Filter
	Period Period
	Scope  Scope
	// Addresses lets the text match addresses too. An address is personal
	// data: a caller that sees it masked must not be able to test guesses
	// of it, so for such a caller the text matches titles and ids only.
	Addresses bool
	Page      Page
}

// SearchResult is one page of a search, newest report first.
type SearchResult struct {
	Text   string `json:"q"`
	Filter Filter `json:"filter"`
	Period Period `json:"period"`
	// Total counts the matches up to SearchTotalCap; TotalCapped says
	// there are at least that many.
	Total       int64     `json:"total"`
	TotalCapped bool      `json:"total_capped"`
	Offset      int       `json:"offset"`
	Limit       int       `json:"limit"`
	Items       []CaseRow `json:"items"`
}

// ParseSearchText validates the search text: trimmed, valid UTF-8, 2–100
// characters. Errors are apperr.Invalid on field q.
func ParseSearchText(s string) (string, error) {
	s = strings.TrimSpace(s)
	n := utf8.RuneCountInString(s)
	switch {
	case s == "":
		return "", apperr.Field(apperr.Invalid, "q", "q is required: %d to %d characters of a title, an address, an event id or a source id", MinSearchText, MaxSearchText)
	case !utf8.ValidString(s):
		return "", apperr.Field(apperr.Invalid, "q", "q must be UTF-8 text")
	case n < MinSearchText || n > MaxSearchText:
		return "", apperr.Field(apperr.Invalid, "q", "q must be %d to %d characters (it has %d)", MinSearchText, MaxSearchText, n)
	}
	return s, nil
}

// Search returns one page of the cases reported in q.Period that match
// q.Text, q.Filter and q.Scope, and how many match (up to SearchTotalCap).
func (s *Stats) Search(ctx context.Context, q SearchQuery) (SearchResult, error) {
	out := SearchResult{Text: q.Text, Filter: q.Filter, Period: q.Period, Offset: q.Page.Offset, Limit: q.Page.Limit, Items: []CaseRow{}}
	err := parallel(2, func(i int) (err error) {
		if i == 0 {
			// One more than the cap tells whether the cap was reached.
			out.Total, err = s.r.SearchCount(ctx, q, SearchTotalCap+1)
		} else {
			out.Items, err = s.r.SearchPage(ctx, q)
		}
		return err
	})
	if err != nil {
		return SearchResult{}, err
	}
	if out.Total > SearchTotalCap {
		out.Total, out.TotalCapped = SearchTotalCap, true
	}
	if out.Items == nil {
		out.Items = []CaseRow{}
	}
	return out, nil
}
