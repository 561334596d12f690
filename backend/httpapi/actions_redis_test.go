package httpapi

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/gridcc/gridcc/backend/directory"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

// TestWorkflowRoutesOverRedis drives a case through the HTTP routes with the
// real use case over the test Redis.
func TestWorkflowRoutesOverRedis(t *testing.T) {
	rdb, prefix := testsvc.Redis(t)
	log := redisbus.NewLog(rdb, redisbus.NewKeys(prefix), time.Hour)
	dir, err := directory.Parse([]byte(`[{"id":"zhzx-duty","name":"带班领导","kind":"department"},
		{"id":"411602001-zzzx","name":"综治中心","kind":"department","street":"411602001"},
		{"id":"411602001-pcs","name":"派出所","kind":"department","street":"411602001"}]`), nil, []string{"411602001"})
	if err != nil {
		t.Fatal(err)
	}
	cases := redisbus.NewCaseStore(log, redisbus.CaseOptions{})
	svc := workflow.NewService(&workflow.Rules{Directory: dir, SLA: workflow.DefaultPolicy, Care: workflow.DefaultCare}, cases, cases)
	now := time.Now().UTC()
	ev := event.Event{ID: "case-1", Kind: event.Hotline, SourceID: "s1", Source: "hotline", Category: "dispute",
		Severity: event.High, Status: event.Reported, Title: "噪音扰民", StreetCode: "411602001", GridID: "411602001-001",
		OccurredAt: now, ReportedAt: now, UpdatedAt: now}
	if _, err := log.Append(testsvc.Context(t), []event.Report{{Record: event.Record{Type: event.RecordEvent, Event: ev,
		Change: event.NewReportedChange(ev, "hotline")}, Fingerprint: "fp", Day: now.Format(time.DateOnly)}}); err != nil {
		t.Fatal(err)
	}
	gin.SetMode(gin.TestMode)
	e := gin.New()
	registerWorkflow(e.Group("/api/v1"), svc, func(*gin.Context, *event.Event, string) error { return nil })

	for _, step := range []struct {
		body   string
		status int
	}{
		{`{"action":"close"}`, 409},
		{`{"action":"dispatch","target":"411602001-pcs"}`, 200},
		{`{"action":"accept"}`, 200},
		{`{"action":"accept"}`, 409},
		{`{"action":"start"}`, 200},
		{`{"action":"resolve","reason":"已调解"}`, 200},
		{`{"action":"close"}`, 200},
		{`{"action":"rate","rating":4}`, 200},
	} {
		if w := do(e, http.MethodPost, "/api/v1/events/case-1/actions", step.body); w.Code != step.status {
			t.Fatalf("%s: %d %s", step.body, w.Code, w.Body)
		}
	}
	w := do(e, http.MethodGet, "/api/v1/events/case-1", "")
	var d workflow.Detail
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &d) != nil || len(d.Timeline) != 7 || d.Event.Status != event.Rated || d.Event.Rating != 4 {
		t.Fatalf("detail %d %s", w.Code, w.Body)
	}
	w = do(e, http.MethodGet, "/api/v1/events?status=done", "")
	var p workflow.Page
	if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &p) != nil || p.Total != 1 || p.Counts.ClosedOnTime != 1 {
		t.Fatalf("list %d %s", w.Code, w.Body)
	}
}
