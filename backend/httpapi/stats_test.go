package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
)

// fakeStats records the arguments of the last call.
type fakeStats struct {
	f      history.Filter
	p      history.Period
	g      history.Granularity
	dim    history.Dimension
	top    int
	cat    string
	at     history.Place
	times  int
	within int
	risk   bool
	list   history.CaseList
	page   history.Page
	replay history.ReplayQuery
	search history.SearchQuery
	err    error
}

func (s *fakeStats) Summary(_ context.Context, f history.Filter, p history.Period) (history.Summary, error) {
	s.f, s.p = f, p
	return history.Summary{Filter: f}, s.err
}

func (s *fakeStats) Trend(_ context.Context, f history.Filter, p history.Period, g history.Granularity, split history.Dimension, top int) (history.Trend, error) {
	s.f, s.p, s.g, s.dim, s.top = f, p, g, split, top
	return history.Trend{Period: p}, s.err
}

func (s *fakeStats) Hotspots(_ context.Context, f history.Filter, p history.Period, level history.Dimension, top int) (history.Hotspots, error) {
	s.f, s.p, s.dim, s.top = f, p, level, top
	return history.Hotspots{}, s.err
}

func (s *fakeStats) Recurring(_ context.Context, category, street string, p history.Period, at history.Place, times, within, top int) (history.RecurringList, error) {
	s.cat, s.f.Street, s.p, s.at, s.times, s.within, s.top = category, street, p, at, times, within, top
	items := []history.Recurring{{Place: recurringAddress, GridID: "411602001001001", Count: 4}}
	if at == history.AtGrid {
		items[0].Place = items[0].GridID
	}
	return history.RecurringList{At: at, Items: items}, s.err
}

const recurringAddress = "川汇区城南街道建设路社区3号楼2单元501"

// TestRecurringMasksAddresses: an address is personal data; who may not
// reveal it (wall, reviewer, admin) gets it cut at the community.
func TestRecurringMasksAddresses(t *testing.T) {
	gin.SetMode(gin.TestMode)
	for _, tc := range []struct {
		role auth.Role
		at   string
		want string
	}{
		{"officer", "address", recurringAddress},
		{"street:411602001", "address", recurringAddress},
		{"wall", "address", event.MaskAddress(recurringAddress)},
		{"reviewer", "address", event.MaskAddress(recurringAddress)},
		{"reviewer", "grid", "411602001001001"},
	} {
		t.Run(string(tc.role)+"_"+tc.at, func(t *testing.T) {
			e := gin.New()
			e.Use(func(c *gin.Context) { c.Set(principalKey, auth.Principal{Name: "p", Role: tc.role}) })
			registerStats(e.Group("/api/v1"), &fakeStats{}, time.UTC)
			w := get(e, "/api/v1/stats/recurring?at="+tc.at)
			var got history.RecurringList
			if err := json.Unmarshal(w.Body.Bytes(), &got); err != nil || w.Code != 200 || len(got.Items) != 1 {
				t.Fatalf("%d %s (%v)", w.Code, w.Body, err)
			}
			if got.Items[0].Place != tc.want || tc.want == "" {
				t.Errorf("place = %q, want %q", got.Items[0].Place, tc.want)
			}
		})
	}
	if masked := event.MaskAddress(recurringAddress); masked == recurringAddress {
		t.Fatalf("the fixture address is not changed by masking: %q", masked)
	}
}

func (s *fakeStats) Heatmap(_ context.Context, f history.Filter, p history.Period, risk bool) (history.Heatmap, error) {
	s.f, s.p, s.risk = f, p, risk
	return history.Heatmap{}, s.err
}

func (s *fakeStats) Overdue(_ context.Context, f history.Filter, p history.Period, list history.CaseList, page history.Page) (history.LateCases, error) {
	s.f, s.p, s.list, s.page = f, p, list, page
	return history.LateCases{Period: p, List: list}, s.err
}

func (s *fakeStats) Checkins(_ context.Context, f history.Filter, p history.Period) (history.Checkins, error) {
	s.f, s.p = f, p
	return history.Checkins{Period: p}, s.err
}

func (s *fakeStats) Replay(_ context.Context, q history.ReplayQuery) (history.Replay, error) {
	s.f, s.p, s.replay = q.Filter, q.Period, q
	return history.Replay{Period: q.Period}, s.err
}

func (s *fakeStats) Search(_ context.Context, q history.SearchQuery) (history.SearchResult, error) {
	s.f, s.p, s.page, s.search = q.Filter, q.Period, q.Page, q
	return history.SearchResult{Text: q.Text, Period: q.Period, Items: []history.CaseRow{}}, s.err
}

func statsServer(q StatsQuerier) *gin.Engine {
	gin.SetMode(gin.TestMode)
	e := gin.New()
	registerStats(e.Group("/api/v1"), q, time.UTC)
	return e
}

func get(e *gin.Engine, url string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(http.MethodGet, url, nil))
	return w
}

func TestStatsParameters(t *testing.T) {
	today := history.DateOf(time.Now(), time.UTC)
	for _, tc := range []struct {
		name  string
		url   string
		check func(t *testing.T, s *fakeStats)
	}{
		{"OK_summaryWeekAndFilter", "/api/v1/stats/summary?week=2025-W23&kind=hotline&category=dispute&street=411602001",
			func(t *testing.T, s *fakeStats) {
				if s.p.From != history.NewDate(2025, 6, 2) || s.p.Week != "2025-W23" ||
					s.f != (history.Filter{Kind: event.Hotline, Category: "dispute", Street: "411602001"}) {
					t.Errorf("got %+v %+v", s.p, s.f)
				}
			}},
		{"OK_summaryDefaultsToLast7Days", "/api/v1/stats/summary",
			func(t *testing.T, s *fakeStats) {
				if s.p.To != today || s.p.Days() != 7 {
					t.Errorf("period %+v", s.p)
				}
			}},
		{"OK_trend", "/api/v1/stats/trend?from=2025-01-01&to=2025-12-31&split=street&top=5",
			func(t *testing.T, s *fakeStats) {
				if s.g != history.Weekly || s.dim != history.ByStreet || s.top != 5 {
					t.Errorf("granularity %s, split %s, top %d", s.g, s.dim, s.top)
				}
			}},
		{"OK_hotspotsDefaults", "/api/v1/stats/hotspots?from=2025-06-01&to=2025-06-30",
			func(t *testing.T, s *fakeStats) {
				if s.dim != history.ByGrid || s.top != history.DefaultTop {
					t.Errorf("level %s, top %d", s.dim, s.top)
				}
			}},
		{"OK_recurringDefaults", "/api/v1/stats/recurring",
			func(t *testing.T, s *fakeStats) {
				if s.cat != "dispute" || s.at != history.AtAddress || s.times != 3 || s.within != 30 || s.p.Days() != 90 {
					t.Errorf("got %+v", s)
				}
			}},
		{"OK_heatmapRisk", "/api/v1/stats/heatmap?risk=true&category=dispute",
			func(t *testing.T, s *fakeStats) {
				if !s.risk || s.f.Category != "dispute" {
					t.Errorf("risk %v, filter %+v", s.risk, s.f)
				}
			}},
		{"OK_overdueDefaults", "/api/v1/stats/overdue?week=2025-W23",
			func(t *testing.T, s *fakeStats) {
				if s.list != history.OpenOverdue || s.page != (history.Page{Limit: history.DefaultPageSize}) || s.p.Week != "2025-W23" {
					t.Errorf("list %s, page %+v, period %+v", s.list, s.page, s.p)
				}
			}},
		{"OK_overdueClosedLatePaged", "/api/v1/stats/overdue?list=closed_late&limit=20&offset=40&kind=hotline",
			func(t *testing.T, s *fakeStats) {
				if s.list != history.ClosedLate || s.page != (history.Page{Limit: 20, Offset: 40}) || s.f.Kind != event.Hotline {
					t.Errorf("list %s, page %+v, filter %+v", s.list, s.page, s.f)
				}
			}},
		{"OK_checkins", "/api/v1/stats/checkins?from=2025-06-01&to=2025-06-30&street=411602001",
			func(t *testing.T, s *fakeStats) {
				if s.p.Days() != 30 || s.f.Street != "411602001" {
					t.Errorf("period %+v, filter %+v", s.p, s.f)
				}
			}},
		{"OK_replayDaySince", "/api/v1/stats/replay?from=2025-06-02&to=2025-06-02&since=2025-06-02T14:30:00%2B08:00&limit=500",
			func(t *testing.T, s *fakeStats) {
				q := s.replay
				if q.Period.Days() != 1 || q.Limit != 500 || q.After != nil || !q.Since.Equal(time.Date(2025, 6, 2, 6, 30, 0, 0, time.UTC)) {
					t.Errorf("replay query %+v", q)
				}
			}},
		{"OK_searchDefaultsToTheLastYear", "/api/v1/stats/search?q=%20%E6%BC%8F%E6%B0%B4%20",
			func(t *testing.T, s *fakeStats) {
				q := s.search
				if q.Text != "漏水" || q.Period.To != today || q.Period.Days() != 365 || q.Page != (history.Page{Limit: history.DefaultPageSize}) {
					t.Errorf("search query %+v", q)
				}
			}},
		{"OK_searchFilteredPaged", "/api/v1/stats/search?q=H-17&from=2025-01-01&to=2025-06-30&kind=hotline&street=411602001&limit=20&offset=40",
			func(t *testing.T, s *fakeStats) {
				q := s.search
				if q.Text != "H-17" || q.Period.Days() != 181 || q.Filter != (history.Filter{Kind: event.Hotline, Street: "411602001"}) ||
					q.Page != (history.Page{Limit: 20, Offset: 40}) {
					t.Errorf("search query %+v", q)
				}
			}},
		{"OK_replayAfter", "/api/v1/stats/replay?week=2025-W23&after=1748822400.17",
			func(t *testing.T, s *fakeStats) {
				q := s.replay
				if q.After == nil || q.After.Seq != 17 || q.Limit != history.DefaultReplayPage || q.Period.Week != "2025-W23" {
					t.Errorf("replay query %+v", q)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := &fakeStats{}
			w := get(statsServer(s), tc.url)
			if w.Code != http.StatusOK {
				t.Fatalf("status %d: %s", w.Code, w.Body)
			}
			tc.check(t, s)
		})
	}
}

func TestStatsRejects(t *testing.T) {
	for _, tc := range []struct{ name, url, field string }{
		{"ErrUnknownParameter", "/api/v1/stats/summary?kinds=hotline", "kinds"},
		{"ErrRepeatedParameter", "/api/v1/stats/summary?kind=hotline&kind=warning", "kind"},
		{"ErrKind", "/api/v1/stats/summary?kind=fax", "kind"},
		{"ErrCategoryOfKind", "/api/v1/stats/summary?kind=warning&category=dispute", "category"},
		{"ErrWeek", "/api/v1/stats/summary?week=2025-W60", "week"},
		{"ErrDate", "/api/v1/stats/trend?from=2025-13-01", "from"},
		{"ErrPeriodTooLong", "/api/v1/stats/trend?from=2020-01-01&to=2024-01-01", "from"},
		{"ErrGranularity", "/api/v1/stats/trend?granularity=hour", "granularity"},
		{"ErrSplit", "/api/v1/stats/trend?split=community", "split"},
		{"ErrTop", "/api/v1/stats/hotspots?top=0", "top"},
		{"ErrLevel", "/api/v1/stats/hotspots?level=kind", "level"},
		{"ErrAt", "/api/v1/stats/recurring?at=street", "at"},
		{"ErrTimes", "/api/v1/stats/recurring?times=1", "times"},
		{"ErrWithin", "/api/v1/stats/recurring?within=x", "within"},
		{"ErrRisk", "/api/v1/stats/heatmap?risk=maybe", "risk"},
		{"ErrStreet", "/api/v1/stats/heatmap?street=a%20b", "street"},
		{"ErrList", "/api/v1/stats/overdue?list=late", "list"},
		{"ErrLimit", "/api/v1/stats/overdue?limit=501", "limit"},
		{"ErrOffset", "/api/v1/stats/overdue?offset=-1", "offset"},
		{"ErrCheckinsParameter", "/api/v1/stats/checkins?list=open", "list"},
		{"ErrReplaySince", "/api/v1/stats/replay?since=yesterday", "since"},
		{"ErrReplaySinceAndAfter", "/api/v1/stats/replay?since=2025-06-02T14:30:00Z&after=1.2", "since"},
		{"ErrReplayAfter", "/api/v1/stats/replay?after=abc", "after"},
		{"ErrReplayLimit", "/api/v1/stats/replay?limit=5001", "limit"},
		{"ErrSearchTextMissing", "/api/v1/stats/search?week=2025-W23", "q"},
		{"ErrSearchTextEmpty", "/api/v1/stats/search?q=", "q"},
		{"ErrSearchTextBlank", "/api/v1/stats/search?q=%20%20%20", "q"},
		{"ErrSearchTextTooShort", "/api/v1/stats/search?q=%20%E6%BC%8F%20", "q"},
		{"ErrSearchTextTooLong", "/api/v1/stats/search?q=" + strings.Repeat("%E6%BC%8F", 101), "q"},
		{"ErrSearchTextRepeated", "/api/v1/stats/search?q=ab&q=cd", "q"},
		{"ErrSearchLimit", "/api/v1/stats/search?q=ab&limit=0", "limit"},
		{"ErrSearchPeriodTooLong", "/api/v1/stats/search?q=ab&from=2020-01-01&to=2024-01-01", "from"},
		{"ErrSearchParameter", "/api/v1/stats/search?q=ab&list=open", "list"},
		// url.ParseQuery fails on these; gin would drop the pair silently.
		{"ErrMalformedEscape", "/api/v1/stats/summary?street=411602001%", ""},
		{"ErrSemicolon", "/api/v1/stats/summary?kind=hotline;street=411602001", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := get(statsServer(&fakeStats{}), tc.url)
			var body ErrorBody
			_ = json.Unmarshal(w.Body.Bytes(), &body)
			if w.Code != http.StatusBadRequest || body.Error.Code != apperr.Invalid || body.Error.Field != tc.field {
				t.Errorf("status %d, body %s; want 400 invalid on %s", w.Code, w.Body, tc.field)
			}
		})
	}
}

func TestStatsUnavailable(t *testing.T) {
	s := &fakeStats{err: apperr.New(apperr.Unavailable, "the history store (ClickHouse) is unavailable")}
	if w := get(statsServer(s), "/api/v1/stats/summary"); w.Code != http.StatusServiceUnavailable {
		t.Errorf("status %d, want 503 while ClickHouse is down", w.Code)
	}
}
