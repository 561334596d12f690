package redisbus_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/testsvc"
)

func TestImport(t *testing.T) {
	ctx := testsvc.Context(t)
	log := mustLog(t)
	if _, err := log.Append(ctx, []event.Report{newReport("live-1", "live-1", "fp")}); err != nil {
		t.Fatal(err)
	}
	var recs []event.Record
	for i := range 1200 { // more than one script call
		r := newReport(fmt.Sprintf("old-%d", i), fmt.Sprintf("old-%d", i), "fp").Record
		r.SetSeq(99) // ignored: the log assigns seqs
		recs = append(recs, r)
	}
	first, err := log.Import(ctx, recs)
	if err != nil || first != 2 {
		t.Fatalf("import: first seq %d, %v; want 2", first, err)
	}
	got, err := log.Range(ctx, 1, 1201)
	if err != nil || len(got) != 1200 || got[0].Event.ID != "old-0" || got[1199].Event.ID != "old-1199" || got[0].Change.Seq != 2 {
		t.Fatalf("range after import: %d records, %v", len(got), err)
	}
	st, err := log.State(ctx, time.Now().Format(time.DateOnly))
	if err != nil {
		t.Fatal(err)
	}
	if len(st.Open) != 1 || st.Seq != 1201 {
		t.Errorf("live state after import: %d open, seq %d; want only the live event open and seq 1201", len(st.Open), st.Seq)
	}
	next, err := log.Reserve(ctx, 10)
	if err != nil || next != 1202 {
		t.Errorf("reserve = %d, %v; want 1202", next, err)
	}
}
