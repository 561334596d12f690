package redisbus_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// newReport builds a minimal valid report for kind+sourceID.
func newReport(id, sourceID, fingerprint string) event.Report {
	now := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	ev := event.Event{ID: id, Kind: event.Hotline, SourceID: sourceID, Category: "dispute", Severity: event.High,
		Status: event.Reported, Title: "噪音扰民", GridID: "411602001-001", StreetCode: "411602001",
		OccurredAt: now, ReportedAt: now, UpdatedAt: now}
	return event.Report{
		Record:      event.Record{Type: event.RecordEvent, Event: ev, Change: event.Change{EventID: id, At: now, To: event.Reported, Actor: "test"}},
		Fingerprint: fingerprint, Day: "2026-11-25",
	}
}

func mustLog(t *testing.T) *redisbus.Log {
	t.Helper()
	rdb, prefix := testsvc.Redis(t)
	return redisbus.NewLog(rdb, redisbus.NewKeys(prefix), time.Hour)
}

func TestAppend(t *testing.T) {
	ctx := testsvc.Context(t)
	log := mustLog(t)

	t.Run("OK_sequencesStrictlyIncrease", func(t *testing.T) {
		var reps []event.Report
		for i := range 5 {
			reps = append(reps, newReport(fmt.Sprintf("id-%d", i), fmt.Sprintf("src-%d", i), "fp"))
		}
		res, err := log.Append(ctx, reps)
		if err != nil {
			t.Fatal(err)
		}
		for i, r := range res {
			if r.Outcome != event.Appended || r.Seq != uint64(i+1) || r.ID != reps[i].Record.Event.ID {
				t.Errorf("item %d: got %+v, want appended seq %d", i, r, i+1)
			}
		}
	})
	t.Run("Duplicate_sameContent", func(t *testing.T) {
		res, err := log.Append(ctx, []event.Report{newReport("other-id", "src-1", "fp")})
		if err != nil {
			t.Fatal(err)
		}
		if got := res[0]; got.Outcome != event.Duplicate || got.ID != "id-1" || got.Seq != 2 {
			t.Errorf("got %+v, want duplicate of id-1 seq 2", got)
		}
	})
	t.Run("Conflict_otherContent", func(t *testing.T) {
		res, err := log.Append(ctx, []event.Report{newReport("other-id", "src-1", "other-fp")})
		if err != nil {
			t.Fatal(err)
		}
		if got := res[0]; got.Outcome != event.Conflict || got.ID != "id-1" {
			t.Errorf("got %+v, want conflict with id-1", got)
		}
	})
	t.Run("OK_duplicateChangedNothing", func(t *testing.T) {
		h, err := log.Head(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if h.Seq != 5 || h.Epoch == "" {
			t.Errorf("head = %+v, want seq 5 and an epoch", h)
		}
		st, err := log.State(ctx, "2026-11-25")
		if err != nil {
			t.Fatal(err)
		}
		if len(st.Open) != 5 || st.TodayByKind[event.Hotline] != 5 || st.Seq != 5 {
			t.Errorf("state: %d open, %d hotline today, seq %d; want 5, 5, 5", len(st.Open), st.TodayByKind[event.Hotline], st.Seq)
		}
	})
}

// TestAppendStartsClocksAndCounts: an append queues the report's first
// deadlines at their due times and counts it in its day; the day's counters
// get their expiry with the first report of each kind that day and keep it
// through later reports of that kind.
func TestAppendStartsClocksAndCounts(t *testing.T) {
	ctx := testsvc.Context(t)
	log := mustLog(t)
	rdb := redisbus.ClientForTest(log)
	keys := log.Keys()
	day := keys.Day("2026-11-25")
	appendOne := func(rep event.Report) {
		t.Helper()
		if _, err := log.Append(ctx, []event.Report{rep}); err != nil {
			t.Fatal(err)
		}
	}
	ttl := func() time.Duration { return rdb.TTL(ctx, day).Val() }
	const dayCountTTL = 8 * 24 * time.Hour

	due := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	first := newReport("e1", "s1", "fp")
	first.Intake.Deadlines = []event.Timed{{Member: "e1|respond", Due: due}, {Member: "e1|close", Due: due.Add(time.Hour)}}
	appendOne(first)
	got := rdb.ZRangeWithScores(ctx, keys.SLADue(), 0, -1).Val()
	want := []redis.Z{{Score: float64(due.UnixMilli()), Member: "e1|respond"},
		{Score: float64(due.Add(time.Hour).UnixMilli()), Member: "e1|close"}}
	if !slices.Equal(got, want) {
		t.Errorf("due set %v, want %v", got, want)
	}
	if d := ttl(); d <= dayCountTTL-time.Hour || d > dayCountTTL {
		t.Fatalf("after the day's first report the counters expire in %v, want %v", d, dayCountTTL)
	}

	// Shortened, so that a later append setting it again would show.
	if err := rdb.Expire(ctx, day, time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	appendOne(newReport("e2", "s2", "fp")) // a hotline request again, no deadlines
	if n := rdb.HGet(ctx, day, string(event.Hotline)).Val(); n != "2" {
		t.Errorf("hotline count %q, want 2", n)
	}
	if d := ttl(); d > time.Hour {
		t.Errorf("a later report of the same kind set the expiry again (%v)", d)
	}
	if n := rdb.ZCard(ctx, keys.SLADue()).Val(); n != 2 {
		t.Errorf("due set holds %d deadlines after a report without any, want 2", n)
	}

	camera := newReport("e3", "s3", "fp")
	camera.Record.Event.Kind = event.CameraAlert
	appendOne(camera)
	if d := ttl(); d <= dayCountTTL-time.Hour {
		t.Errorf("the day's first camera alert left the expiry at %v, want %v", d, dayCountTTL)
	}
}

// TestConcurrentAppends has many callers share round trips (appendGroup)
// against a real Redis: each must get its own reports' results, and the log
// must hold every report once, in seq order without a gap.
func TestConcurrentAppends(t *testing.T) {
	ctx := testsvc.Context(t)
	log := mustLog(t)
	const callers, each = 40, 3
	results := make([][]event.AppendResult, callers)
	errs := make([]error, callers)
	var wg sync.WaitGroup
	for c := range callers {
		wg.Go(func() {
			var reps []event.Report
			for i := range each {
				id := fmt.Sprintf("id-%d-%d", c, i)
				reps = append(reps, newReport(id, "src-"+id, "fp"))
			}
			results[c], errs[c] = log.Append(ctx, reps)
		})
	}
	wg.Wait()
	seqs := map[uint64]string{}
	for c := range callers {
		if errs[c] != nil {
			t.Fatalf("caller %d: %v", c, errs[c])
		}
		for i, r := range results[c] {
			if want := fmt.Sprintf("id-%d-%d", c, i); r.ID != want || r.Outcome != event.Appended {
				t.Errorf("caller %d item %d: got %+v, want %s appended", c, i, r, want)
			}
			seqs[r.Seq] = r.ID
		}
	}
	recs, err := log.Range(ctx, 0, callers*each)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		if seqs[r.Seq] != r.Event.ID {
			t.Errorf("the log has %s at seq %d, the caller was told %q", r.Event.ID, r.Seq, seqs[r.Seq])
		}
	}
	if len(seqs) != callers*each || len(recs) != callers*each {
		t.Errorf("%d distinct seqs answered, %d records in the log; want %d", len(seqs), len(recs), callers*each)
	}
}

func TestRange(t *testing.T) {
	ctx := testsvc.Context(t)
	log := mustLog(t)
	var reps []event.Report
	for i := range 2500 { // more than one XRANGE page
		reps = append(reps, newReport(fmt.Sprintf("id-%d", i), fmt.Sprintf("src-%d", i), "fp"))
	}
	if _, err := log.Append(ctx, reps); err != nil {
		t.Fatal(err)
	}
	t.Run("OK_contiguous", func(t *testing.T) {
		recs, err := log.Range(ctx, 10, 2400)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) != 2390 {
			t.Fatalf("got %d records, want 2390", len(recs))
		}
		for i, r := range recs {
			if r.Seq != uint64(11+i) || r.Change.Seq != r.Seq || r.Event.ID != fmt.Sprintf("id-%d", 10+i) {
				t.Fatalf("record %d: seq %d id %s", i, r.Seq, r.Event.ID)
			}
		}
	})
	t.Run("ErrTrimmed", func(t *testing.T) {
		// Trim the first 100 entries, then ask for them.
		if err := trim(t, log, 101); err != nil {
			t.Fatal(err)
		}
		if _, err := log.Range(ctx, 50, 200); !errors.Is(err, redisbus.ErrTrimmed) {
			t.Errorf("err = %v, want ErrTrimmed", err)
		}
		if recs, err := log.Range(ctx, 100, 200); err != nil || len(recs) != 100 {
			t.Errorf("range just above the trim: %d records, err %v", len(recs), err)
		}
	})
}
