package chstore_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// searchCases: water leaks in two streets in week 23, one the Sunday
// before and one just after it (00:30 district time on Monday 9 June is
// still 8 June in UTC: days are the district's); a noise complaint found
// by its address or id; five cases to page through.
func searchCases() []historytest.Case {
	at := func(month time.Month, day, hour, minute int) time.Time {
		return time.Date(2025, month, day, hour, minute, 0, 0, shanghai)
	}
	c := func(id, street, title, address string, reported time.Time, steps ...historytest.Step) historytest.Case {
		return historytest.Case{ID: id, Kind: event.Hotline, Category: "housing", Severity: event.Medium, GridID: "g-" + street,
			Street: street, Title: title, Address: address, Reported: reported, Steps: steps}
	}
	out := []historytest.Case{
		c("S0", "s-1", "Water Leak 水管爆裂", "和平里社区7号院", at(6, 2, 9, 0), historytest.Lifecycle(5*time.Hour, 0)...),
		c("S1", "s-2", "water leak again", "光明路12号", at(6, 3, 9, 0)),
		c("S2", "s-1", "噪音扰民", "和平里社区9号院", at(6, 4, 9, 0),
			historytest.Step{After: 10 * time.Minute, To: event.Dispatched, Action: "dispatch", Target: "s-1-pcs"}),
		c("S3", "s-1", "WATER LEAK before", "", at(6, 1, 23, 30)),
		c("S4", "s-1", "water-leak? no: Water Leak after", "", at(6, 9, 0, 30)),
	}
	return append(out, historytest.Many(5, "pg", event.Hotline, "consultation", at(6, 5, 10, 0), time.Hour, 0)...)
}

func TestSearch(t *testing.T) {
	s, _ := mustStore(t)
	ctx := testsvc.Context(t)
	if _, err := s.Write(ctx, batchOf(searchCases(), 1)); err != nil {
		t.Fatal(err)
	}
	wide := history.Period{From: history.NewDate(2025, 5, 1), To: history.NewDate(2025, 6, 30)}
	page := history.Page{Limit: 50}
	for _, tc := range []struct {
		name string
		q    history.SearchQuery
		want []string // event ids, in order
	}{
		{"OK_titleLatinInAnyCase", history.SearchQuery{Text: "WATER leak", Period: week23}, []string{"S1", "S0"}},
		{"OK_titleCJK", history.SearchQuery{Text: "水管", Period: week23}, []string{"S0"}},
		{"OK_addressCJK", history.SearchQuery{Text: "和平里社区", Period: week23, Addresses: true}, []string{"S2", "S0"}},
		{"OK_addressNotMatchedWhenMasked", history.SearchQuery{Text: "和平里社区", Period: week23}, nil},
		{"OK_exactEventID", history.SearchQuery{Text: "S2", Period: week23}, []string{"S2"}},
		{"OK_eventIDIsExact", history.SearchQuery{Text: "s2", Period: week23}, nil},
		{"OK_exactSourceID", history.SearchQuery{Text: "src-S0", Period: week23}, []string{"S0"}},
		{"OK_sourceIDIsWhole", history.SearchQuery{Text: "src-S", Period: week23}, nil},
		{"OK_periodTakesBothEnds", history.SearchQuery{Text: "water leak", Period: wide}, []string{"S4", "S1", "S0", "S3"}},
		{"OK_periodOfDistrictDays", history.SearchQuery{Text: "water leak", Period: history.Period{From: history.NewDate(2025, 6, 9), To: history.NewDate(2025, 6, 9)}}, []string{"S4"}},
		{"OK_streetFilter", history.SearchQuery{Text: "water leak", Period: wide, Filter: history.Filter{Street: "s-2"}}, []string{"S1"}},
		{"OK_kindFilter", history.SearchQuery{Text: "water leak", Period: wide, Filter: history.Filter{Kind: event.GridEvent}}, nil},
		{"OK_streetScope", history.SearchQuery{Text: "water leak", Period: week23, Scope: history.Scope{Streets: []string{"s-1"}}}, []string{"S0"}},
		{"OK_communityScope", history.SearchQuery{Text: "water leak", Period: week23, Scope: history.Scope{Communities: []string{"s-2-c1"}}}, []string{"S1"}},
		{"OK_filterOutsideScope", history.SearchQuery{Text: "water leak", Period: week23, Filter: history.Filter{Street: "s-2"},
			Scope: history.Scope{Streets: []string{"s-1"}}}, nil},
		{"OK_emptyScopeFindsNothing", history.SearchQuery{Text: "water leak", Period: week23, Scope: history.Scope{Streets: []string{}}}, nil},
		{"OK_quotesAreText", history.SearchQuery{Text: `' OR 1=1 --`, Period: wide, Addresses: true}, nil},
		{"OK_punctuationIsText", history.SearchQuery{Text: "leak? no", Period: wide}, []string{"S4"}},
		{"OK_newestFirst", history.SearchQuery{Text: "pg-", Period: week23}, []string{"pg-4", "pg-3", "pg-2", "pg-1", "pg-0"}},
		{"OK_page", history.SearchQuery{Text: "pg-", Period: week23, Page: history.Page{Limit: 2, Offset: 2}}, []string{"pg-2", "pg-1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			q := tc.q
			if q.Page.Limit == 0 {
				q.Page = page
			}
			items, err := s.SearchPage(ctx, q)
			if err != nil {
				t.Fatal(err)
			}
			got := foundIDs(items)
			if !slices.Equal(got, tc.want) {
				t.Errorf("found %v, want %v", got, tc.want)
			}
			for _, it := range items {
				if it.Status == "" { // every case has one: its report
					t.Errorf("%s has no state", it.EventID)
				}
			}
			n, err := s.SearchCount(ctx, q, 100)
			if want := int64(len(tc.want)); q.Page.Offset == 0 && (err != nil || n != want) {
				t.Errorf("count = %d, %v; want %d", n, err, want)
			}
		})
	}

	t.Run("OK_countStopsAtUpTo", func(t *testing.T) {
		n, err := s.SearchCount(ctx, history.SearchQuery{Text: "pg-", Period: week23}, 3)
		if err != nil || n != 3 {
			t.Errorf("count up to 3 = %d, %v", n, err)
		}
	})

	t.Run("OK_rowsWithTheirStateNow", func(t *testing.T) {
		items, err := s.SearchPage(ctx, history.SearchQuery{Text: "和平里", Period: week23, Addresses: true, Page: page})
		if err != nil || len(items) != 2 {
			t.Fatalf("%+v, %v", items, err)
		}
		s2, s0 := items[0], items[1]
		want := history.CaseRow{EventID: "S2", Kind: event.Hotline, Category: "housing", Severity: event.Medium, Title: "噪音扰民",
			Address: "和平里社区9号院", GridID: "g-s-1", CommunityID: "s-1-c1", StreetCode: "s-1",
			ReportedAt: time.Date(2025, 6, 4, 1, 0, 0, 0, time.UTC), Status: event.Dispatched, Assignee: "s-1-pcs"}
		if s2 != want {
			t.Errorf("S2 = %+v\nwant %+v", s2, want)
		}
		if s0.Status != event.Closed || s0.Assignee != "dept-1" {
			t.Errorf("S0 now %s, assignee %q; want closed, dept-1", s0.Status, s0.Assignee)
		}
	})
}

func foundIDs(items []history.CaseRow) []string {
	var out []string
	for _, it := range items {
		out = append(out, it.EventID)
	}
	return out
}
