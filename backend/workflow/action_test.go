package workflow_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

// docTable reads the transition table of docs/workflow.md: row state →
// column action → cell.
func docTable(t *testing.T) (actions []string, cells map[string]map[string]string) {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(testsvc.RepoRoot(t), "docs", "workflow.md"))
	if err != nil {
		t.Fatal(err)
	}
	cells = map[string]map[string]string{}
	for _, line := range strings.Split(string(raw), "\n") {
		cols := strings.Split(strings.Trim(line, "| "), " | ")
		switch {
		case strings.HasPrefix(line, `| state \ action |`):
			actions = cols[1:]
		case actions != nil && len(cols) == len(actions)+1 && event.Status(cols[0]).Valid():
			cells[cols[0]] = map[string]string{}
			for i, a := range actions {
				cells[cols[0]][a] = cols[i+1]
			}
		}
	}
	if len(cells) != len(event.Statuses) {
		t.Fatalf("docs/workflow.md table has %d state rows, want %d", len(cells), len(event.Statuses))
	}
	return actions, cells
}

// cellFor reads a cell for a kind: the new state, "" for refused.
func cellFor(cell string, k event.Kind, state event.Status) event.Status {
	alert := k == event.CameraAlert || k == event.Warning
	switch {
	case cell == "–",
		strings.HasSuffix(cell, "¹") && alert,
		strings.HasSuffix(cell, "²") && !alert:
		return ""
	}
	cell = strings.TrimRight(cell, "¹²³⁴")
	if cell == "·" {
		return state
	}
	return event.Status(cell)
}

// requestFor is a valid request for each action on eventUnderTest.
func requestFor(a workflow.Action) workflow.Request {
	r := workflow.Request{Action: a}
	switch a {
	case workflow.Dispatch:
		r.Target = sfs1
	case workflow.Resolve, workflow.Reopen, workflow.Comment:
		r.Reason = "原因"
	case workflow.Rate:
		r.Rating = 4
	case workflow.Merge:
		r.Into = "into"
	case workflow.Whistle:
		r.Departments, r.Reason = []string{"sfj"}, "联合调解"
	case workflow.CheckIn:
		r.Target = pcs1
	case workflow.FollowUpDone:
		r.Target = "e-fu1"
	}
	return r
}

// TestTransitionTable walks every state × action × kind (a citizen kind and
// an alert kind) against the table in docs/workflow.md: an allowed action
// moves to the cell's state; a refused one is a 409 naming the state and
// exactly the actions the row allows for that kind.
func TestTransitionTable(t *testing.T) {
	rules := testRules(t)
	actions, cells := docTable(t)
	if want := workflow.Actions; len(actions) != len(want) {
		t.Fatalf("doc columns %v, want %v", actions, want)
	}
	for _, k := range []event.Kind{event.Hotline, event.CameraAlert} {
		for _, st := range event.Statuses {
			var allowed []string
			for _, a := range actions {
				if cellFor(cells[string(st)][a], k, st) != "" {
					allowed = append(allowed, a)
				}
			}
			for _, a := range actions {
				t.Run(string(k)+"/"+string(st)+"/"+a, func(t *testing.T) {
					e := newEvent("e", k, "other", event.Medium)
					e.Status = st
					e.Whistle = []event.CheckIn{{Department: pcs1, Due: t0.Add(time.Hour)}}
					into := loaded(newEvent("into", event.GridEvent, "dispute", event.High))
					care := &workflow.Care{EventID: "e", FollowUps: []workflow.FollowUp{{ID: "e-fu1", Due: t0}}}
					c, err := rules.Decide(workflow.Input{Current: loaded(e), Into: &into, Care: care,
						Request: requestFor(workflow.Action(a)), Actor: "officer", Now: t0.Add(time.Minute)})
					want := cellFor(cells[string(st)][a], k, st)
					if want == "" {
						ae := wantCode(t, err, apperr.Conflict)
						if !strings.Contains(ae.Message, "it is "+string(st)) ||
							!strings.HasSuffix(ae.Message, "allowed actions: "+orNone(allowed)) {
							t.Fatalf("409 message %q does not name state %s and allowed %v", ae.Message, st, allowed)
						}
						return
					}
					if err != nil {
						t.Fatalf("allowed by the table, got %v", err)
					}
					ch := c.Items[0].Record.Change
					if got := c.Items[0].Record.Event.Status; got != want || ch.From != st || ch.To != want || ch.Action != a {
						t.Fatalf("state %s, change %+v; want %s", got, ch, want)
					}
					if got := workflow.Allowed(&e); !slices.Equal(names(got), allowed) {
						t.Fatalf("Allowed = %v, want %v", got, allowed)
					}
				})
			}
		}
	}
}

func names(as []workflow.Action) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = string(a)
	}
	return out
}

func orNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}
