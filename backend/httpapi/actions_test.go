package httpapi

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/audit"
	"github.com/gridcc/gridcc/backend/auth"
	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

// fakeWorkflow answers from a map of events and remembers its last call.
type fakeWorkflow struct {
	events map[string]event.Event
	err    error // returned by Act after authorization
	id     string
	req    workflow.Request
	actor  string
	q      workflow.Query
	street string
}

func (f *fakeWorkflow) get(id string, authorize workflow.Authorize, action string) (event.Event, error) {
	e, ok := f.events[id]
	if !ok {
		return e, apperr.New(apperr.NotFound, "event %s not found", id)
	}
	return e, authorize(&e, action)
}

func (f *fakeWorkflow) Act(_ context.Context, id string, req workflow.Request, actor string, authorize workflow.Authorize) (workflow.Result, error) {
	f.id, f.req, f.actor = id, req, actor
	e, err := f.get(id, authorize, string(req.Action))
	if err != nil {
		return workflow.Result{}, err
	}
	if f.err != nil {
		return workflow.Result{}, f.err
	}
	e.Status = event.Dispatched
	return workflow.Result{Event: e, Change: event.Change{EventID: id, Seq: 7, From: event.Reported, To: event.Dispatched,
		Actor: actor, Action: string(req.Action), Target: req.Target, Reason: req.Reason}}, nil
}

func (f *fakeWorkflow) Detail(_ context.Context, id string, authorize workflow.Authorize) (workflow.Detail, error) {
	e, err := f.get(id, authorize, workflow.ActionView)
	return workflow.Detail{Event: e, Timeline: []event.Change{{Reason: "回电 13812345678"}}}, err
}

func (f *fakeWorkflow) List(_ context.Context, q workflow.Query, authorize workflow.Authorize) (workflow.Page, error) {
	f.q = q
	if err := q.Check(); err != nil {
		return workflow.Page{}, err
	}
	p := workflow.Page{Items: []event.Event{}}
	for _, e := range f.events {
		if authorize(&e, workflow.ActionView) == nil {
			p.Items = append(p.Items, e)
		}
	}
	p.Total = len(p.Items)
	return p, nil
}

func (f *fakeWorkflow) FollowUps(_ context.Context, street, _ string, _ workflow.Authorize) ([]workflow.Care, error) {
	f.street = street
	return []workflow.Care{{EventID: "e1", Title: "纠纷", FollowUps: []workflow.FollowUp{{ID: "e1-fu1", Note: "电话 13812345678"}}}}, nil
}

func (f *fakeWorkflow) Directory() []directory.Entry {
	return []directory.Entry{
		{ID: "sfj", Name: "区司法局", Kind: directory.Department},
		{ID: "411602001-pcs", Name: "派出所", Kind: directory.Department, Street: "411602001"},
		{ID: "vt-411602002-C01-1", Name: "志愿队", Kind: directory.VolunteerTeam, Street: "411602002", Community: "411602002-C01"},
	}
}

// workflowServer mounts the routes beside the ingest routes they share a
// path with, behind a middleware that admits "officer-1" with role, and an
// authorizer that refuses events of street 411602009.
func workflowServer(f *fakeWorkflow, role auth.Role) *gin.Engine {
	e, _ := auditedWorkflowServer(f, role)
	return e
}

// auditedWorkflowServer is workflowServer whose admitting middleware is an
// authenticator recording to the returned audit log (reveals need one).
func auditedWorkflowServer(f *fakeWorkflow, role auth.Role) (*gin.Engine, *fakeAudit) {
	gin.SetMode(gin.TestMode)
	e := gin.New()
	v1 := e.Group("/api/v1")
	v1.POST("/events", func(c *gin.Context) { c.Status(http.StatusAccepted) })
	v1.POST("/events/batch", func(c *gin.Context) { c.Status(http.StatusAccepted) })
	log := &fakeAudit{}
	a := &authenticator{audit: log}
	admit := func(c *gin.Context) {
		c.Set(principalKey, auth.Principal{Name: "officer-1", Role: role})
		c.Set(authnKey, a)
	}
	scope := func(_ *gin.Context, e *event.Event, action string) error {
		if e.StreetCode == "411602009" {
			return apperr.New(apperr.Forbidden, "may not %s events of street %s", action, e.StreetCode)
		}
		return nil
	}
	registerWorkflow(v1, f, scope, admit)
	return e, log
}

func do(e *gin.Engine, method, url, body string) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	e.ServeHTTP(w, httptest.NewRequest(method, url, strings.NewReader(body)))
	return w
}

func testEvents() map[string]event.Event {
	return map[string]event.Event{
		"e1":    {ID: "e1", Kind: event.Hotline, Status: event.Reported, StreetCode: "411602001", CallerPhone: "13812345678", CallerName: "王小明"},
		"other": {ID: "other", Kind: event.Hotline, Status: event.Reported, StreetCode: "411602009"},
	}
}

func TestActionRoute(t *testing.T) {
	tests := []struct {
		name      string
		url, body string
		err       error
		status    int
		field     string
	}{
		{"OK", "/api/v1/events/e1/actions", `{"action":"dispatch","target":"411602001-pcs","reason":"请派出所到场"}`, nil, 200, ""},
		{"BadRequest_unknownField", "/api/v1/events/e1/actions", `{"action":"accept","who":"me"}`, nil, 400, "who"},
		{"BadRequest_missingTarget", "/api/v1/events/e1/actions", `{"action":"dispatch"}`, nil, 400, "target"},
		{"BadRequest_unusedField", "/api/v1/events/e1/actions", `{"action":"accept","rating":5}`, nil, 400, "rating"},
		{"BadRequest_notJSON", "/api/v1/events/e1/actions", `accept`, nil, 400, ""},
		{"NotFound_unknownEvent", "/api/v1/events/nope/actions", `{"action":"accept"}`, nil, 404, ""},
		{"NotFound_impossibleID", "/api/v1/events/a%20b/actions", `{"action":"accept"}`, nil, 404, ""},
		{"Forbidden_outOfScope", "/api/v1/events/other/actions", `{"action":"accept"}`, nil, 403, ""},
		{"Conflict", "/api/v1/events/e1/actions", `{"action":"close"}`,
			apperr.New(apperr.Conflict, "cannot close event e1: it is reported (a hotline); allowed actions: dispatch, comment"), 409, ""},
		{"TooLarge", "/api/v1/events/e1/actions", `{"action":"comment","reason":"` + strings.Repeat("x", workflow.MaxRequestBytes) + `"}`, nil, 413, ""},
		{"Unavailable", "/api/v1/events/e1/actions", `{"action":"accept"}`, apperr.New(apperr.Unavailable, "down"), 503, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := &fakeWorkflow{events: testEvents(), err: tt.err}
			w := do(workflowServer(f, ""), http.MethodPost, tt.url, tt.body)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if tt.status != 200 {
				var body ErrorBody
				if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Error.Field != tt.field || body.Error.Message == "" {
					t.Fatalf("error body %s (field want %q)", w.Body, tt.field)
				}
				if tt.status == 409 && !strings.Contains(body.Error.Message, "it is reported") {
					t.Fatalf("409 message %q", body.Error.Message)
				}
				return
			}
			var res workflow.Result
			if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
				t.Fatal(err)
			}
			if f.actor != "officer-1" || f.req.Target != "411602001-pcs" || res.Change.Seq != 7 || res.Event.Status != event.Dispatched {
				t.Fatalf("actor %q req %+v result %+v", f.actor, f.req, res)
			}
			if res.Event.CallerPhone != "138****5678" || res.Event.CallerName != "王某" {
				t.Fatalf("personal data not masked for a role without it: %+v", res.Event)
			}
		})
	}
	t.Run("IngestRoutesStillServed", func(t *testing.T) {
		srv := workflowServer(&fakeWorkflow{events: testEvents()}, "")
		if w := do(srv, http.MethodPost, "/api/v1/events/batch", `{}`); w.Code != http.StatusAccepted {
			t.Fatalf("POST /events/batch: %d", w.Code)
		}
	})
}

func TestEventReadRoutes(t *testing.T) {
	f := &fakeWorkflow{events: testEvents()}
	srv := workflowServer(f, "")
	t.Run("OK_list", func(t *testing.T) {
		w := do(srv, http.MethodGet, "/api/v1/events?status=open&kind=hotline&street=411602001&grid=g&severity=high&overdue=true&assignee=sfj&q=噪音&limit=20&cursor=", "")
		if w.Code != 200 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		q := f.q
		if q.Status != "open" || q.Kind != event.Hotline || q.Street != "411602001" || q.Grid != "g" || q.Severity != event.High ||
			q.Overdue == nil || !*q.Overdue || q.Assignee != "sfj" || q.Text != "噪音" || q.Limit != 20 {
			t.Fatalf("query %+v", q)
		}
		var p workflow.Page
		if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil || p.Total != 1 || p.Items[0].ID != "e1" || p.Items[0].CallerPhone != "138****5678" {
			t.Fatalf("page %s (the out-of-scope event must be left out, personal data masked)", w.Body)
		}
	})
	for _, tc := range []struct{ url, field string }{
		{"/api/v1/events?stauts=open", "stauts"},
		{"/api/v1/events?kind=a&kind=b", "kind"},
		{"/api/v1/events?overdue=maybe", "overdue"},
		{"/api/v1/events?limit=0", "limit"},
		{"/api/v1/events?limit=9999", "limit"},
		{"/api/v1/events?status=lost", "status"},
		{"/api/v1/events/e1?x=1", "x"},
		{"/api/v1/directory?kind=person", "kind"},
	} {
		t.Run("BadRequest_"+tc.field, func(t *testing.T) {
			w := do(srv, http.MethodGet, tc.url, "")
			var body ErrorBody
			if w.Code != 400 || json.Unmarshal(w.Body.Bytes(), &body) != nil || body.Error.Field != tc.field {
				t.Fatalf("%s: %d %s", tc.url, w.Code, w.Body)
			}
		})
	}
	t.Run("OK_detailMasked", func(t *testing.T) {
		w := do(srv, http.MethodGet, "/api/v1/events/e1", "")
		var d workflow.Detail
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &d) != nil || d.Event.CallerPhone != "138****5678" || d.Timeline[0].Reason != "回电 138****5678" {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	})
	t.Run("OK_detailRevealedToOfficersAndAudited", func(t *testing.T) {
		srv, log := auditedWorkflowServer(f, auth.Role("officer"))
		w := do(srv, http.MethodGet, "/api/v1/events/e1", "")
		var d workflow.Detail
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &d) != nil || d.Event.CallerPhone != "13812345678" || d.Timeline[0].Reason != "回电 13812345678" {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		recs := log.find("reveal", audit.Success)
		if len(recs) != 1 || recs[0].Object != "e1" || recs[0].User != "officer-1" || !strings.Contains(recs[0].Detail, "caller_phone") {
			t.Fatalf("reveal records %+v", recs)
		}
	})
	// Lists and action answers are masked for every role, even one that may
	// reveal: a reveal is one event's detail, and it is audited.
	t.Run("OK_listMaskedForOfficers", func(t *testing.T) {
		srv, log := auditedWorkflowServer(f, auth.Role("officer"))
		w := do(srv, http.MethodGet, "/api/v1/events?status=open", "")
		if w.Code != 200 || strings.Contains(w.Body.String(), "13812345678") || !strings.Contains(w.Body.String(), "138****5678") {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		w = do(srv, http.MethodPost, "/api/v1/events/e1/actions", `{"action":"dispatch","target":"411602001-pcs"}`)
		if w.Code != 200 || strings.Contains(w.Body.String(), "13812345678") {
			t.Fatalf("action answer %d %s", w.Code, w.Body)
		}
		w = do(srv, http.MethodGet, "/api/v1/followups", "")
		if w.Code != 200 || strings.Contains(w.Body.String(), "13812345678") {
			t.Fatalf("follow-ups %d %s", w.Code, w.Body)
		}
		if recs := log.find("reveal", audit.Success); len(recs) != 0 {
			t.Fatalf("a list or an action revealed: %+v", recs)
		}
	})
	for _, tc := range []struct {
		url    string
		status int
	}{{"/api/v1/events/nope", 404}, {"/api/v1/events/other", 403}} {
		if w := do(srv, http.MethodGet, tc.url, ""); w.Code != tc.status {
			t.Errorf("%s: %d, want %d", tc.url, w.Code, tc.status)
		}
	}
	t.Run("OK_directory", func(t *testing.T) {
		w := do(srv, http.MethodGet, "/api/v1/directory?street=411602001", "")
		var body struct{ Entries []directory.Entry }
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &body) != nil || len(body.Entries) != 2 {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
		w = do(srv, http.MethodGet, "/api/v1/directory?kind=volunteer_team", "")
		if json.Unmarshal(w.Body.Bytes(), &body) != nil || len(body.Entries) != 1 || body.Entries[0].Community == "" {
			t.Fatalf("%s", w.Body)
		}
	})
	t.Run("OK_followUps", func(t *testing.T) {
		w := do(srv, http.MethodGet, "/api/v1/followups?street=411602001", "")
		if w.Code != 200 || f.street != "411602001" || !strings.Contains(w.Body.String(), "138****5678") {
			t.Fatalf("%d %s", w.Code, w.Body)
		}
	})
}
