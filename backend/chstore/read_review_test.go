package chstore_test

import (
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/chstore"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// lateCases is a week of cases with hand-computed late lists and
// whistle-and-report outcomes (see TestLateCases, TestSummonses).
func lateCases() []historytest.Case {
	mon := time.Date(2025, 6, 2, 9, 0, 0, 0, shanghai)
	c := func(id string, k event.Kind, cat string, steps ...historytest.Step) historytest.Case {
		return historytest.Case{ID: id, Kind: k, Category: cat, Severity: event.Medium, GridID: "g-" + id, Street: "s-1",
			Address: "幸福小区3号楼2单元", Reported: mon, Steps: steps}
	}
	step := func(after time.Duration, to event.Status, action, target string) historytest.Step {
		return historytest.Step{After: after, To: to, Action: action, Target: target}
	}
	h := time.Hour
	return []historytest.Case{
		// Closed late: 100 h against 72 h, 30 h against 24 h.
		c("L0", event.GridEvent, "environment", historytest.Lifecycle(100*h, 0)...),
		c("L1", event.Hotline, "consultation", historytest.Lifecycle(30*h, 0)...),
		// Closed late twice (80 h and 90 h against 72 h): listed twice.
		c("E0", event.Hotline, "dispute", step(10*time.Minute, event.Dispatched, "dispatch", "s-1-sfs"),
			step(80*h, event.Closed, "close", ""), step(81*h, event.Reopened, "reopen", ""), step(90*h, event.Closed, "close", "")),
		c("K0", event.Hotline, "dispute", historytest.Lifecycle(2*h, 5)...),
		// Open: due after 48 h, 7 days and 10 days.
		c("O0", event.GridEvent, "dispute", step(10*time.Minute, event.Dispatched, "dispatch", "s-1-pcs")),
		c("O1", event.Hotline, "housing"),
		c("O2", event.Hotline, "labor"),
		// Whistle and report: sfs on time (20 min), pcs late (60 min),
		// cgzd missed, summoned again and on time (10 min); W1's sfs pending.
		c("W0", event.GridEvent, "dispute",
			step(10*time.Minute, event.Dispatched, "dispatch", "s-1-sfs"),
			step(h, event.Escalated, "whistle", "s-1-sfs,s-1-pcs,s-1-cgzd"),
			step(80*time.Minute, event.Escalated, "checkin", "s-1-sfs"),
			step(90*time.Minute, event.Escalated, "checkin_missed", "s-1-pcs"),
			step(90*time.Minute, event.Escalated, "checkin_missed", "s-1-cgzd"),
			step(2*h, event.Escalated, "checkin", "s-1-pcs"),
			step(3*h, event.Escalated, "whistle", "s-1-cgzd"),
			step(3*h+10*time.Minute, event.Escalated, "checkin", "s-1-cgzd"),
			step(5*h, event.Resolved, "resolve", ""), step(6*h, event.Closed, "close", "")),
		c("W1", event.GridEvent, "dispute", step(h, event.Escalated, "whistle", "s-1-sfs")),
	}
}

// mustLateStore returns a store holding lateCases and the batch written.
func mustLateStore(t *testing.T) (*chstore.Store, history.Batch) {
	t.Helper()
	s, _ := mustStore(t)
	b := batchOf(lateCases(), 1)
	if _, err := s.Write(testsvc.Context(t), b); err != nil {
		t.Fatal(err)
	}
	return s, b
}

func TestLateCases(t *testing.T) {
	s, _ := mustLateStore(t)
	ctx := testsvc.Context(t)
	now := time.Date(2025, 6, 10, 9, 0, 0, 0, shanghai) // 8 days after the reports
	all := history.Page{Limit: 50}

	t.Run("OK_counts", func(t *testing.T) {
		open, late, err := s.CountLate(ctx, history.Filter{}, week23, now)
		if err != nil || open != 3 || late != 4 { // O0, O1, W1 (48 h); L0, L1, E0 twice
			t.Fatalf("counts = %d open overdue, %d closed late, %v; want 3, 4", open, late, err)
		}
		open, late, err = s.CountLate(ctx, history.Filter{Kind: event.Hotline}, week23, now)
		if err != nil || open != 1 || late != 3 {
			t.Errorf("hotline counts = %d, %d, %v; want 1, 3", open, late, err)
		}
	})

	t.Run("OK_openOverdueMostLateFirst", func(t *testing.T) {
		items, err := s.LateCases(ctx, history.Filter{}, week23, history.OpenOverdue, now, all)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(items); !slices.Equal(got, []string{"O0", "W1", "O1"}) {
			t.Fatalf("open overdue = %v, want O0, W1 (due after 48 h, by id), O1 (7 days)", got)
		}
		o0 := items[0]
		if o0.Status != event.Dispatched || o0.Assignee != "s-1-pcs" || o0.LateS != 6*24*3600 ||
			o0.Title != "测试事件 O0" || o0.Address != "幸福小区3号楼2单元" || o0.CommunityID != "s-1-c1" || o0.ClosedAt != nil {
			t.Errorf("O0 = %+v", o0)
		}
		if items[2].Assignee != "" || items[2].Status != event.Reported {
			t.Errorf("O1, never dispatched = %+v", items[2])
		}
	})

	t.Run("OK_closedLateEveryLateClosing", func(t *testing.T) {
		items, err := s.LateCases(ctx, history.Filter{}, week23, history.ClosedLate, now, all)
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(items); !slices.Equal(got, []string{"L0", "E0", "E0", "L1"}) {
			t.Fatalf("closed late = %v, want L0 (28 h), E0 (18 h), E0 (8 h), L1 (6 h)", got)
		}
		late := []int64{28, 18, 8, 6}
		for i, it := range items {
			if it.LateS != late[i]*3600 || it.ClosedAt == nil || !it.ClosedAt.Equal(it.DueAt.Add(time.Duration(it.LateS)*time.Second)) {
				t.Errorf("item %d = %+v, want %d h late", i, it, late[i])
			}
		}
		if items[1].Status != event.Closed || items[1].Assignee != "s-1-sfs" {
			t.Errorf("E0 now = %s, assignee %q; want closed, s-1-sfs", items[1].Status, items[1].Assignee)
		}
	})

	t.Run("OK_pages", func(t *testing.T) {
		second, err := s.LateCases(ctx, history.Filter{}, week23, history.ClosedLate, now, history.Page{Limit: 2, Offset: 2})
		if err != nil || !slices.Equal(ids(second), []string{"E0", "L1"}) {
			t.Errorf("second page of 2 = %v, %v; want E0, L1", ids(second), err)
		}
	})
}

func ids(items []history.LateCase) []string {
	out := make([]string, len(items))
	for i, it := range items {
		out[i] = it.EventID
	}
	return out
}

func TestSummonses(t *testing.T) {
	s, _ := mustLateStore(t)
	steps, err := s.Summonses(testsvc.Context(t), history.Filter{}, week23)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, st := range steps {
		got = append(got, st.EventID+" "+st.Department+" "+st.Action)
	}
	want := []string{
		"W0 s-1-cgzd whistle", "W0 s-1-cgzd checkin_missed", "W0 s-1-cgzd whistle", "W0 s-1-cgzd checkin",
		"W0 s-1-pcs whistle", "W0 s-1-pcs checkin_missed", "W0 s-1-pcs checkin",
		"W0 s-1-sfs whistle", "W0 s-1-sfs checkin",
		"W1 s-1-sfs whistle",
	}
	if !slices.Equal(got, want) {
		t.Errorf("steps:\n%v\nwant\n%v", got, want)
	}
}

func TestReplayReader(t *testing.T) {
	s, b := mustLateStore(t)
	ctx := testsvc.Context(t)
	monday := history.Period{From: week23.From, To: week23.From}
	from, to := monday.From.Start(shanghai), monday.To.AddDays(1).Start(shanghai)
	var want []uint64
	changes := append([]history.ChangeRow(nil), b.Changes...)
	sort.SliceStable(changes, func(i, j int) bool { return changes[i].At.Before(changes[j].At) })
	for _, c := range changes {
		if !c.At.Before(from) && c.At.Before(to) {
			want = append(want, c.Seq)
		}
	}

	t.Run("OK_count", func(t *testing.T) {
		n, err := s.ReplayCount(ctx, history.Filter{}, from, to)
		if err != nil || n != int64(len(want)) {
			t.Errorf("count = %d, %v; want %d", n, err, len(want))
		}
	})

	t.Run("OK_pagesInTimeOrderWithPlaces", func(t *testing.T) {
		var got []uint64
		cur := history.ReplayCursor{At: from.Add(-time.Second), Seq: ^uint64(0)}
		for range 100 {
			page, err := s.ReplayPage(ctx, history.Filter{}, cur, to, 4)
			if err != nil {
				t.Fatal(err)
			}
			for _, it := range page {
				got = append(got, it.Seq)
				if it.Lon != 114.65 || it.Title != "测试事件 "+it.EventID || it.Address == "" || it.CommunityID != "s-1-c1" {
					t.Fatalf("item without its place: %+v", it)
				}
				if (it.Type == event.RecordEvent) != (it.From == "") {
					t.Fatalf("report flag wrong: %+v", it)
				}
			}
			if len(page) < 4 {
				break
			}
			cur = page[len(page)-1].Cursor()
		}
		if !slices.Equal(got, want) {
			t.Errorf("seqs %v, want %v", got, want)
		}
	})

	t.Run("OK_filter", func(t *testing.T) {
		page, err := s.ReplayPage(ctx, history.Filter{Kind: event.GridEvent, Category: "environment"}, history.ReplayCursor{At: from}, to, 100)
		if err != nil || len(page) == 0 {
			t.Fatalf("filtered replay: %d items, %v", len(page), err)
		}
		for _, it := range page {
			if it.EventID != "L0" {
				t.Errorf("filter let through %+v", it)
			}
		}
	})
}
