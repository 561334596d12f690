package workflow_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/testsvc"
	"github.com/gridcc/gridcc/backend/workflow"
)

// TestConcurrentActions has two officers on two replicas accept the same
// dispatched event at the same moment, many times: exactly one wins each
// time; the other gets a 409 (its retry finds the event accepted).
func TestConcurrentActions(t *testing.T) {
	env := newEnv(t)
	ctx := testsvc.Context(t)
	_, svc2 := env.replica(t)
	const n = 30
	for i := range n {
		id := fmt.Sprintf("e%d", i)
		env.report(t, newEvent(id, event.Hotline, "dispute", event.High))
		env.act(t, id, workflow.Request{Action: workflow.Dispatch, Target: pcs1})
	}
	for i := range n {
		id := fmt.Sprintf("e%d", i)
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for j, svc := range []*workflow.Service{env.svc, svc2} {
			wg.Go(func() {
				_, errs[j] = svc.Act(ctx, id, workflow.Request{Action: workflow.Accept}, fmt.Sprintf("officer%d", j), allowAll)
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case apperr.CodeOf(err) != apperr.Conflict:
				t.Fatalf("%s: %v", id, err)
			}
		}
		if won != 1 {
			t.Fatalf("%s: %d accepts won (%v)", id, won, errs)
		}
	}
	for i := range n {
		if got := changesOf(env.records(t), fmt.Sprintf("e%d", i)); got["accept"] != 1 {
			t.Fatalf("e%d has %d accept records", i, got["accept"])
		}
	}
}

// TestCommitCompareAndSet checks the store's side: a commit decided on an
// old version writes nothing.
func TestCommitCompareAndSet(t *testing.T) {
	env := newEnv(t)
	ctx := testsvc.Context(t)
	env.report(t, newEvent("e", event.Hotline, "dispute", event.High))
	old, err := env.store.Get(ctx, "e")
	if err != nil {
		t.Fatal(err)
	}
	env.act(t, "e", workflow.Request{Action: workflow.Comment, Reason: "先到"})
	c, err := env.rules.Decide(workflow.Input{Current: old, Request: workflow.Request{Action: workflow.Comment, Reason: "后到"},
		Actor: "late", Now: t0})
	if err != nil {
		t.Fatal(err)
	}
	before := len(env.records(t))
	if _, err := env.store.Commit(ctx, c); !errors.Is(err, workflow.ErrConflict) {
		t.Fatalf("stale commit: %v, want ErrConflict", err)
	}
	gone := workflow.Deadline{EventID: "e", Kind: workflow.DueClose, Due: t0}
	fresh, _ := env.store.Get(ctx, "e")
	c.Items[0].Expect, c.Fire = fresh.Version, &gone
	if _, err := env.store.Commit(ctx, c); !errors.Is(err, workflow.ErrGone) {
		t.Fatalf("commit of an unqueued deadline: %v, want ErrGone", err)
	}
	c.Fire = nil
	c.Items[0].Record.Event.ID = "missing"
	if _, err := env.store.Commit(ctx, c); apperr.CodeOf(err) != apperr.NotFound {
		t.Fatalf("commit of a missing event: %v, want NotFound", err)
	}
	if after := len(env.records(t)); after != before {
		t.Fatalf("refused commits wrote %d records", after-before)
	}
}
