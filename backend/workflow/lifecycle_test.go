package workflow_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

// TestLifecycle walks 群众点单、支部派单、志愿者接单、群众评单 over Redis:
// report, dispatch, accept, start, resolve, close, rate, then reopen.
func TestLifecycle(t *testing.T) {
	env := newEnv(t)
	ctx := testsvc.Context(t)
	keys := redisbus.NewKeys(env.prefix)
	env.report(t, newEvent("case", event.Hotline, "dispute", event.High))

	steps := []struct {
		req  workflow.Request
		want event.Status
	}{
		{workflow.Request{Action: workflow.Dispatch, Target: team1, Reason: "社区志愿者先上门"}, event.Dispatched},
		{workflow.Request{Action: workflow.Accept}, event.Accepted},
		{workflow.Request{Action: workflow.Start}, event.InProgress},
		{workflow.Request{Action: workflow.Comment, Reason: "双方已到场"}, event.InProgress},
		{workflow.Request{Action: workflow.Resolve, Reason: "调解成功，签订协议"}, event.Resolved},
		{workflow.Request{Action: workflow.Close}, event.Closed},
		{workflow.Request{Action: workflow.Rate, Rating: 5, Reason: "很满意"}, event.Rated},
	}
	var last uint64
	for i, s := range steps {
		env.clock.Set(t0.Add(time.Duration(i+1) * time.Minute))
		res := env.act(t, "case", s.req)
		if res.Event.Status != s.want || res.Change.To != s.want || res.Change.Actor != "officer" ||
			res.Change.Action != string(s.req.Action) || res.Change.Seq <= last {
			t.Fatalf("step %d %s: event %s, change %+v", i, s.req.Action, res.Event.Status, res.Change)
		}
		last = res.Change.Seq
	}

	got, err := env.store.Get(ctx, "case")
	if err != nil {
		t.Fatal(err)
	}
	if e := got.Event; e.Rating != 5 || e.Assignee != team1 || e.CloseBy.IsZero() || !e.RespondBy.IsZero() {
		t.Fatalf("final state %+v", e)
	}
	if ttl := env.rdb.TTL(ctx, keys.Event("case")).Val(); ttl <= 0 || ttl > 30*24*time.Hour {
		t.Errorf("a done event's state has TTL %v, want the closed TTL", ttl)
	}
	if env.rdb.ZScore(ctx, keys.Open, "case").Err() == nil {
		t.Error("a done event is still in the open set")
	}
	d, err := env.svc.Detail(ctx, "case", allowAll)
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, c := range d.Timeline {
		actions = append(actions, c.Action)
	}
	if want := []string{"", "dispatch", "accept", "start", "comment", "resolve", "close", "rate"}; !slices.Equal(actions, want) {
		t.Fatalf("timeline %v, want %v", actions, want)
	}
	if d.Timeline[0].To != event.Reported || d.Timeline[7].Rating != 5 || !slices.Equal(d.Allowed, []workflow.Action{workflow.Reopen, workflow.Comment, workflow.FollowUpDone}) {
		t.Fatalf("detail %+v", d)
	}
	page, err := env.svc.List(ctx, workflow.Query{Status: workflow.StatusDone}, allowAll)
	if err != nil || page.Total != 1 || page.Items[0].ID != "case" || page.Counts.ClosedOnTime != 1 {
		t.Fatalf("done list %+v, %v", page, err)
	}

	// The citizen was not satisfied after all: reopen brings it back.
	res := env.act(t, "case", workflow.Request{Action: workflow.Reopen, Reason: "噪音又出现"})
	if res.Event.Status != event.Reopened || res.Event.RespondBy.IsZero() {
		t.Fatalf("reopened %+v", res.Event)
	}
	if ttl := env.rdb.TTL(ctx, keys.Event("case")).Val(); ttl != -1 {
		t.Errorf("a reopened event's state has TTL %v, want none", ttl)
	}
	page, err = env.svc.List(ctx, workflow.Query{Status: workflow.StatusOpen}, allowAll)
	if err != nil || page.Total != 1 {
		t.Fatalf("open list %+v, %v", page, err)
	}
}

func TestActErrors(t *testing.T) {
	env := newEnv(t)
	ctx := testsvc.Context(t)
	env.report(t, newEvent("e", event.Hotline, "dispute", event.High))
	tests := []struct {
		name      string
		id        string
		req       workflow.Request
		authorize workflow.Authorize
		code      apperr.Code
		msg       string
	}{
		{"NotFound", "nope", workflow.Request{Action: workflow.Accept}, allowAll, apperr.NotFound, "nope"},
		{"Conflict_illegal", "e", workflow.Request{Action: workflow.Close}, allowAll, apperr.Conflict,
			"it is reported (a hotline); allowed actions: dispatch, comment, merge, whistle, checkin"},
		{"Conflict_alertOnly", "e", workflow.Request{Action: workflow.Acknowledge}, allowAll, apperr.Conflict, "it is reported"},
		{"Forbidden", "e", workflow.Request{Action: workflow.Accept},
			func(e *event.Event, a string) error { return apperr.New(apperr.Forbidden, "no %s on %s", a, e.ID) }, apperr.Forbidden, "no accept on e"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := env.svc.Act(ctx, tt.id, tt.req, "officer", tt.authorize)
			if ae := wantCode(t, err, tt.code); !strings.Contains(ae.Message, tt.msg) {
				t.Fatalf("message %q does not contain %q", ae.Message, tt.msg)
			}
		})
	}
	if n := len(env.records(t)); n != 1 {
		t.Fatalf("refused actions wrote %d records", n-1)
	}
}
