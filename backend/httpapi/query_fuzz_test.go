package httpapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/workflow"
)

// The query-string fuzz targets feed raw query strings to the real handlers
// of GET /api/v1/stats/* and GET /api/v1/events. Seed corpora are in
// testdata/fuzz/<FuzzName>/; run one for real with
//
//	go test -run '^$' -fuzz '^FuzzStatsQuery$' -fuzztime 30s ./backend/httpapi/
//
// Every answer must be a 200 whose parsed parameters are within bounds, or
// a 400 with a short error naming the parameter: never a panic, never a
// 5xx, never an error that repeats a long input back.

// maxErrorBody bounds an error answer to a query: whatever the caller sent,
// the error repeats at most maxEchoedParam characters of it, twice (field
// and message), each at worst a JSON escape of a %q escape.
const maxErrorBody = 1024

var statsEndpoints = []string{"summary", "trend", "hotspots", "recurring", "heatmap", "search"}

// FuzzStatsQuery: endpoint picks the stats endpoint, raw is its query.
func FuzzStatsQuery(f *testing.F) {
	f.Fuzz(func(t *testing.T, endpoint uint8, raw string) {
		name := statsEndpoints[int(endpoint)%len(statsEndpoints)]
		s := &fakeStats{}
		w := getQuery(statsServer(s), "/api/v1/stats/"+name, raw)
		switch w.Code {
		case http.StatusOK:
			checkStatsArgs(t, name, s)
		case http.StatusBadRequest:
			requireShortInvalid(t, w.Body.Bytes())
		default:
			t.Fatalf("%s?%q: status %d %s", name, raw, w.Code, w.Body)
		}
	})
}

// checkStatsArgs checks what the handler passed on after a 200.
func checkStatsArgs(t *testing.T, name string, s *fakeStats) {
	t.Helper()
	if s.p.To.Before(s.p.From) || s.p.Days() < 1 || s.p.Days() > history.MaxPeriodDays {
		t.Fatalf("%s: period %+v", name, s.p)
	}
	if _, err := history.ParseFilter(string(s.f.Kind), s.f.Category, s.f.Street); err != nil && name != "recurring" {
		t.Fatalf("%s: filter %+v passed on: %v", name, s.f, err)
	}
	top := func(max int) {
		if s.top < 1 || s.top > max {
			t.Fatalf("%s: top %d", name, s.top)
		}
	}
	switch name {
	case "trend":
		if s.g != history.Daily && s.g != history.Weekly && s.g != history.Monthly {
			t.Fatalf("trend: granularity %q", s.g)
		}
		if s.dim != history.ByKind && s.dim != history.ByCategory && s.dim != history.ByStreet && s.dim != history.ByGrid {
			t.Fatalf("trend: split %q", s.dim)
		}
		top(history.MaxTop)
	case "hotspots":
		if s.dim != history.ByGrid && s.dim != history.ByStreet {
			t.Fatalf("hotspots: level %q", s.dim)
		}
		top(history.MaxTop)
	case "recurring":
		if _, err := history.ParseFilter("", s.cat, s.f.Street); err != nil || s.cat == "" {
			t.Fatalf("recurring: category %q street %q passed on: %v", s.cat, s.f.Street, err)
		}
		if s.at != history.AtAddress && s.at != history.AtGrid || s.times < 2 || s.times > 50 || s.within < 1 || s.within > maxRecurringDays {
			t.Fatalf("recurring: at %q times %d within %d", s.at, s.times, s.within)
		}
		top(history.MaxTop)
	case "search":
		q := s.search
		if n := utf8.RuneCountInString(q.Text); n < history.MinSearchText || n > history.MaxSearchText || q.Text != strings.TrimSpace(q.Text) {
			t.Fatalf("search: text %q passed on", q.Text)
		}
		if q.Page.Limit < 1 || q.Page.Limit > history.MaxPageSize || q.Page.Offset < 0 || q.Page.Offset > history.MaxOffset {
			t.Fatalf("search: page %+v", q.Page)
		}
	}
}

// FuzzEventsQuery: raw is the query of GET /api/v1/events, answered by the
// real workflow service over a fixed set of events. A 200 page holds at
// most limit items, and following next_cursor visits every matching event
// exactly once.
func FuzzEventsQuery(f *testing.F) {
	engine := eventsServer(listedEvents(40))
	f.Fuzz(func(t *testing.T, raw string) {
		w := getQuery(engine, "/api/v1/events", raw)
		switch w.Code {
		case http.StatusOK:
		case http.StatusBadRequest:
			requireShortInvalid(t, w.Body.Bytes())
			return
		default:
			t.Fatalf("events?%q: status %d %s", raw, w.Code, w.Body)
		}
		values, _ := url.ParseQuery(raw) // what gin's Query reads: malformed pairs are dropped
		limit := workflow.DefaultLimit
		if v := values.Get("limit"); v != "" {
			limit, _ = strconv.Atoi(v)
		}
		seen := map[string]bool{}
		page := decodePage(t, w)
		total := page.Total
		for n := 0; ; n++ {
			if len(page.Items) > limit || page.Total != total {
				t.Fatalf("events?%q page %d: %d items (limit %d), total %d (first page %d)", raw, n, len(page.Items), limit, page.Total, total)
			}
			for _, e := range page.Items {
				if seen[e.ID] {
					t.Fatalf("events?%q: %s on two pages", raw, e.ID)
				}
				seen[e.ID] = true
			}
			if page.NextCursor == "" || n > 40 {
				break
			}
			values.Set("cursor", page.NextCursor)
			next := getQuery(engine, "/api/v1/events", values.Encode())
			if next.Code != http.StatusOK {
				t.Fatalf("events?%q: next page: status %d %s", raw, next.Code, next.Body)
			}
			page = decodePage(t, next)
		}
		if len(seen) != total && values.Get("cursor") == "" {
			t.Fatalf("events?%q: paging visited %d of %d events", raw, len(seen), total)
		}
	})
}

func decodePage(t *testing.T, w *httptest.ResponseRecorder) workflow.Page {
	t.Helper()
	var p workflow.Page
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("page %s: %v", w.Body, err)
	}
	return p
}

// getQuery serves GET path?raw; raw goes in as it is, undecoded.
func getQuery(e *gin.Engine, path, raw string) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	req.URL.RawQuery = raw
	w := httptest.NewRecorder()
	e.ServeHTTP(w, req)
	return w
}

// requireShortInvalid: a 400 body is {"error":{"code":"invalid",…}} with a
// message, and short whatever was sent.
func requireShortInvalid(t *testing.T, body []byte) {
	t.Helper()
	var b ErrorBody
	if err := json.Unmarshal(body, &b); err != nil || b.Error.Code != apperr.Invalid || b.Error.Message == "" {
		t.Fatalf("400 body %s (%v)", body, err)
	}
	if len(body) > maxErrorBody || utf8.RuneCountInString(b.Error.Field) > maxEchoedParam+1 {
		t.Fatalf("the error repeats too much of the input (%d bytes): %.200s", len(body), body)
	}
}

// memEvents is a workflow.Reader over a fixed list of events.
type memEvents []workflow.Listed

func (m memEvents) Events(context.Context) ([]workflow.Listed, error) { return m, nil }
func (memEvents) Timeline(context.Context, string) ([]event.Change, error) {
	return nil, nil
}
func (memEvents) Cares(context.Context) ([]workflow.Care, error) { return nil, nil }

// listedEvents returns n events over every kind, status and severity,
// four streets and a few report times (several events share one).
func listedEvents(n int) memEvents {
	statuses := []event.Status{event.Reported, event.Dispatched, event.Accepted, event.Closed}
	severities := []event.Severity{event.Low, event.Medium, event.High, event.Critical}
	base := time.Date(2026, 5, 1, 8, 0, 0, 0, time.UTC)
	out := make(memEvents, n)
	for i := range out {
		e := event.Event{ID: fmt.Sprintf("0190c1e0-0000-7000-8000-%012d", i), Kind: event.Kinds[i%len(event.Kinds)],
			Status: statuses[i%len(statuses)], Severity: severities[i/3%len(severities)],
			StreetCode: fmt.Sprintf("41160200%d", 1+i%4), GridID: fmt.Sprintf("41160200%d-%03d", 1+i%4, i%7),
			Title: fmt.Sprintf("事件 %d", i), Overdue: i%5 == 0, Assignee: fmt.Sprintf("R-%d", i%3),
			ReportedAt: base.Add(time.Duration(i/2) * time.Minute)}
		var closed time.Time
		if !e.Open() {
			closed = e.ReportedAt.Add(time.Hour)
		}
		out[i] = workflow.Listed{Event: e, ClosedAt: closed}
	}
	return out
}

// eventsServer mounts the workflow routes on the real service over events,
// for an officer who may see them all.
func eventsServer(events memEvents) *gin.Engine {
	gin.SetMode(gin.TestMode)
	e := gin.New()
	admit := func(c *gin.Context) { c.Set(principalKey, auth.Principal{Name: "officer-1", Role: "officer"}) }
	registerWorkflow(e.Group("/api/v1"), workflow.NewService(nil, nil, events),
		func(*gin.Context, *event.Event, string) error { return nil }, admit)
	return e
}
