package workflow_test

import (
	"slices"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/workflow"
)

func TestQuery(t *testing.T) {
	mk := func(id string, k event.Kind, st event.Status, minute int, mod func(*event.Event)) workflow.Listed {
		e := newEvent(id, k, "other", event.Medium)
		e.Status, e.ReportedAt = st, t0.Add(time.Duration(minute)*time.Minute)
		e.CloseBy = e.ReportedAt.Add(time.Hour)
		if mod != nil {
			mod(&e)
		}
		l := workflow.Listed{Event: e}
		if !e.Open() {
			l.ClosedAt = e.ReportedAt.Add(30 * time.Minute)
		}
		return l
	}
	all := []workflow.Listed{
		mk("a", event.Hotline, event.Reported, 1, func(e *event.Event) { e.Overdue = true; e.Title = "噪音扰民" }),
		mk("b", event.Hotline, event.Dispatched, 2, func(e *event.Event) { e.Assignee = pcs1 }),
		mk("c", event.CameraAlert, event.Reported, 3, func(e *event.Event) { e.Severity = event.Critical }),
		mk("d", event.GridEvent, event.Closed, 4, nil),
		mk("e", event.GridEvent, event.Rated, 5, func(e *event.Event) { e.CloseBy = e.ReportedAt.Add(time.Minute) }),
		mk("f", event.Warning, event.Reported, 6, func(e *event.Event) { e.StreetCode, e.GridID = street2, "411602002-001" }),
		mk("g", event.Hotline, event.Merged, 7, nil),
	}
	yes := true
	all3 := func(*event.Event) bool { return true }
	tests := []struct {
		name string
		q    workflow.Query
		want []string
	}{
		{"All_newestFirst", workflow.Query{}, []string{"g", "f", "e", "d", "c", "b", "a"}},
		{"Open", workflow.Query{Status: workflow.StatusOpen}, []string{"f", "c", "b", "a"}},
		{"Done", workflow.Query{Status: workflow.StatusDone}, []string{"g", "e", "d"}},
		{"State", workflow.Query{Status: "dispatched"}, []string{"b"}},
		{"Kind", workflow.Query{Kind: event.Hotline}, []string{"g", "b", "a"}},
		{"Street", workflow.Query{Street: street2}, []string{"f"}},
		{"Grid", workflow.Query{Grid: grid1, Status: workflow.StatusOpen}, []string{"c", "b", "a"}},
		{"Severity", workflow.Query{Severity: event.Critical}, []string{"c"}},
		{"Overdue", workflow.Query{Overdue: &yes}, []string{"a"}},
		{"Assignee", workflow.Query{Assignee: pcs1}, []string{"b"}},
		{"Text", workflow.Query{Text: "噪音"}, []string{"a"}},
		{"TextID", workflow.Query{Text: "F"}, []string{"f"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.q.Check(); err != nil {
				t.Fatal(err)
			}
			p := tt.q.Run(all, all3)
			if got := ids(p.Items); !slices.Equal(got, tt.want) || p.Total != len(tt.want) || p.NextCursor != "" {
				t.Fatalf("items %v total %d cursor %q, want %v", got, p.Total, p.NextCursor, tt.want)
			}
		})
	}
	t.Run("Paging", func(t *testing.T) {
		var got []string
		q := workflow.Query{Limit: 3}
		for range 4 {
			p := q.Run(all, all3)
			got = append(got, ids(p.Items)...)
			if p.NextCursor == "" {
				break
			}
			q.Cursor = p.NextCursor
		}
		if want := []string{"g", "f", "e", "d", "c", "b", "a"}; !slices.Equal(got, want) {
			t.Fatalf("pages %v, want %v", got, want)
		}
	})
	t.Run("Counts", func(t *testing.T) {
		p := (&workflow.Query{}).Run(all, func(e *event.Event) bool { return e.ID != "c" })
		c := p.Counts
		if p.Total != 6 || c.OpenOverdue != 1 || c.ClosedLate != 1 || c.ClosedOnTime != 1 ||
			c.Kind[event.Hotline] != 3 || c.Status[event.Reported] != 2 || c.Street[street2] != 1 || c.Severity[event.Critical] != 0 {
			t.Fatalf("total %d counts %+v", p.Total, c)
		}
	})
	for _, bad := range []struct {
		q     workflow.Query
		field string
	}{
		{workflow.Query{Status: "lost"}, "status"},
		{workflow.Query{Kind: "fax"}, "kind"},
		{workflow.Query{Severity: "extreme"}, "severity"},
		{workflow.Query{Limit: workflow.MaxLimit + 1}, "limit"},
		{workflow.Query{Cursor: "!!"}, "cursor"},
		{workflow.Query{Cursor: "eA"}, "cursor"},
	} {
		if ae := wantCode(t, bad.q.Check(), apperr.Invalid); ae.Field != bad.field {
			t.Errorf("%+v: field %q, want %q", bad.q, ae.Field, bad.field)
		}
	}
}

func ids(evs []event.Event) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, e.ID)
	}
	return out
}
