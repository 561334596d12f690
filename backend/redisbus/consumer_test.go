package redisbus_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

// The contract of history.Source, checked against the Redis consumer group.

// mustLogN returns a log holding n reports (seqs 1…n).
func mustLogN(t *testing.T, n int) (*redisbus.Log, redisbus.Keys) {
	t.Helper()
	log := mustLog(t)
	var reps []event.Report
	for i := range n {
		reps = append(reps, newReport(fmt.Sprintf("id-%d", i), fmt.Sprintf("src-%d", i), "fp"))
	}
	if _, err := log.Append(testsvc.Context(t), reps); err != nil {
		t.Fatal(err)
	}
	return log, log.Keys()
}

func consumer(t *testing.T, log *redisbus.Log, name string) *redisbus.Consumer {
	t.Helper()
	return redisbus.NewConsumer(redisbus.ClientForTest(log), log.Keys(), "history", name)
}

func seqsOf(recs []event.Record) []uint64 {
	out := make([]uint64, len(recs))
	for i, r := range recs {
		out[i] = r.Seq
	}
	return out
}

func span(lo, hi uint64) []uint64 {
	var out []uint64
	for s := lo; s <= hi; s++ {
		out = append(out, s)
	}
	return out
}

func TestConsumer(t *testing.T) {
	t.Run("Read_inOrderOnceAcrossConsumers", func(t *testing.T) {
		ctx := testsvc.Context(t)
		log, _ := mustLogN(t, 10)
		a, b := consumer(t, log, "a"), consumer(t, log, "b")
		ra, err := a.Read(ctx, 6, 0)
		if err != nil {
			t.Fatal(err)
		}
		rb, err := b.Read(ctx, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(seqsOf(ra), span(1, 6)) || !slices.Equal(seqsOf(rb), span(7, 10)) {
			t.Fatalf("a got %v, b got %v; want 1-6 and 7-10", seqsOf(ra), seqsOf(rb))
		}
		if ra[0].Event.ID != "id-0" || ra[0].Change.Seq != 1 {
			t.Errorf("first record = %+v", ra[0])
		}
		if more, err := a.Read(ctx, 10, 10*time.Millisecond); err != nil || len(more) != 0 {
			t.Errorf("read after the end: %v, %v; want nothing", seqsOf(more), err)
		}
	})

	t.Run("Pending_untilAck", func(t *testing.T) {
		ctx := testsvc.Context(t)
		log, _ := mustLogN(t, 5)
		a := consumer(t, log, "a")
		if _, err := a.Read(ctx, 5, 0); err != nil {
			t.Fatal(err)
		}
		if err := a.Ack(ctx, []uint64{1, 2}); err != nil {
			t.Fatal(err)
		}
		restarted := consumer(t, log, "a") // the same replica after a restart
		p, err := restarted.Pending(ctx, 0, 100)
		if err != nil || !slices.Equal(seqsOf(p), span(3, 5)) {
			t.Fatalf("pending = %v, %v; want 3-5", seqsOf(p), err)
		}
		if p, _ := restarted.Pending(ctx, 4, 100); !slices.Equal(seqsOf(p), []uint64{5}) {
			t.Errorf("pending after 4 = %v, want [5]", seqsOf(p))
		}
	})

	t.Run("Chunks_coverTheWholeRequest", func(t *testing.T) {
		ctx := testsvc.Context(t)
		log, keys := mustLogN(t, 10)
		a := consumer(t, log, "a")
		redisbus.SetPerCommandForTest(a, 3) // every call below takes several commands
		if r, err := a.Read(ctx, 8, 0); err != nil || !slices.Equal(seqsOf(r), span(1, 8)) {
			t.Fatalf("read = %v, %v; want 1-8", seqsOf(r), err)
		}
		if p, err := a.Pending(ctx, 0, 100); err != nil || !slices.Equal(seqsOf(p), span(1, 8)) {
			t.Fatalf("pending = %v, %v; want 1-8", seqsOf(p), err)
		}
		if own, err := a.Touch(ctx, []uint64{8, 1, 5, 2, 7, 3, 6, 4}); err != nil || !slices.Equal(own, span(1, 8)) {
			t.Fatalf("touch = %v, %v; want 1-8, sorted", own, err)
		}
		if err := a.Ack(ctx, span(1, 8)); err != nil {
			t.Fatal(err)
		}
		if b, err := a.Backlog(ctx); err != nil || b.Records != 2 {
			t.Errorf("backlog after acking 1-8 = %+v, %v; want the 2 undelivered", b, err)
		}
		if n, err := a.Trim(ctx, 0); err != nil || n != 8 || firstSeq(t, log, keys) != 9 {
			t.Errorf("trim removed %d, %v, log starts at %d; want 8 removed, start 9", n, err, firstSeq(t, log, keys))
		}
		if r, err := a.Read(ctx, 100, 0); err != nil || !slices.Equal(seqsOf(r), span(9, 10)) {
			t.Errorf("read the rest = %v, %v; want 9-10", seqsOf(r), err)
		}
	})

	t.Run("Claim_onlyIdleRecords", func(t *testing.T) {
		ctx := testsvc.Context(t)
		log, _ := mustLogN(t, 4)
		crashed, survivor := consumer(t, log, "crashed"), consumer(t, log, "survivor")
		if _, err := crashed.Read(ctx, 4, 0); err != nil {
			t.Fatal(err)
		}
		if got, err := survivor.Claim(ctx, time.Hour, 100); err != nil || len(got) != 0 {
			t.Fatalf("claimed %v (err %v) that were not idle for an hour", seqsOf(got), err)
		}
		time.Sleep(20 * time.Millisecond)
		got, err := survivor.Claim(ctx, 10*time.Millisecond, 100)
		if err != nil || !slices.Equal(seqsOf(got), span(1, 4)) {
			t.Fatalf("claim = %v, %v; want 1-4", seqsOf(got), err)
		}
		if p, _ := crashed.Pending(ctx, 0, 100); len(p) != 0 {
			t.Errorf("the crashed consumer still holds %v", seqsOf(p))
		}
	})

	t.Run("Touch_keepsOwnRecordsAndReportsLostOnes", func(t *testing.T) {
		ctx := testsvc.Context(t)
		log, _ := mustLogN(t, 6)
		slow, other := consumer(t, log, "slow"), consumer(t, log, "other")
		if _, err := slow.Read(ctx, 6, 0); err != nil {
			t.Fatal(err)
		}
		time.Sleep(30 * time.Millisecond)
		if _, err := slow.Touch(ctx, []uint64{1, 2, 3}); err != nil { // 1-3 fresh again, 4-6 idle
			t.Fatal(err)
		}
		stolen, err := other.Claim(ctx, 25*time.Millisecond, 100)
		if err != nil || !slices.Equal(seqsOf(stolen), span(4, 6)) {
			t.Fatalf("claim = %v, %v; want only the untouched 4-6", seqsOf(stolen), err)
		}
		owned, err := slow.Touch(ctx, span(1, 6))
		if err != nil || !slices.Equal(owned, span(1, 3)) {
			t.Errorf("touch = %v, %v; want 1-3 (4-6 were claimed away)", owned, err)
		}
		if p, _ := other.Pending(ctx, 0, 100); !slices.Equal(seqsOf(p), span(4, 6)) {
			t.Errorf("touch moved records back: other holds %v", seqsOf(p))
		}
	})

	t.Run("Trim_neverPastTheOldestUnacked", func(t *testing.T) {
		ctx := testsvc.Context(t)
		log, keys := mustLogN(t, 20)
		a := consumer(t, log, "a")
		if _, err := a.Read(ctx, 10, 0); err != nil { // 11-20 undelivered
			t.Fatal(err)
		}
		if err := a.Ack(ctx, append(span(1, 4), 6, 7)); err != nil { // 5 and 8-10 pending
			t.Fatal(err)
		}
		if _, err := a.Trim(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if first := firstSeq(t, log, keys); first != 5 {
			t.Errorf("after trim the log starts at %d, want 5 (the oldest pending)", first)
		}
		if err := a.Ack(ctx, []uint64{5, 8, 9, 10}); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Trim(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if first := firstSeq(t, log, keys); first != 11 {
			t.Errorf("after acking all delivered records the log starts at %d, want 11 (the first undelivered)", first)
		}
		if _, err := a.Read(ctx, 10, 0); err != nil {
			t.Fatal(err)
		}
		if err := a.Ack(ctx, span(11, 20)); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Trim(ctx, 3); err != nil {
			t.Fatal(err)
		}
		if first := firstSeq(t, log, keys); first != 18 {
			t.Errorf("with keep 3 the log starts at %d, want 18", first)
		}
	})

	t.Run("Trim_withoutGroupKeepsAll", func(t *testing.T) {
		ctx := testsvc.Context(t)
		log, keys := mustLogN(t, 3)
		if _, err := redisbus.NewConsumer(redisbus.ClientForTest(log), keys, "history", "a").Trim(ctx, 0); err != nil {
			t.Fatal(err)
		}
		if first := firstSeq(t, log, keys); first != 1 {
			t.Errorf("trim without a group removed records: log starts at %d", first)
		}
	})

	t.Run("Backlog_pendingPlusUndelivered", func(t *testing.T) {
		ctx := testsvc.Context(t)
		log, _ := mustLogN(t, 10)
		a := consumer(t, log, "a")
		if b, err := a.Backlog(ctx); err != nil || b.Records != 10 {
			t.Fatalf("backlog before any read = %+v, %v; want 10", b, err)
		}
		if _, err := a.Read(ctx, 4, 0); err != nil {
			t.Fatal(err)
		}
		if err := a.Ack(ctx, []uint64{1, 2}); err != nil {
			t.Fatal(err)
		}
		b, err := a.Backlog(ctx)
		if err != nil || b.Records != 8 || b.Oldest.IsZero() {
			t.Errorf("backlog = %+v, %v; want 8 records (2 pending + 6 undelivered) with the oldest's time", b, err)
		}
		rest, _ := a.Read(ctx, 100, 0)
		if err := a.Ack(ctx, append([]uint64{3, 4}, seqsOf(rest)...)); err != nil {
			t.Fatal(err)
		}
		if b, err := a.Backlog(ctx); err != nil || b != (history.Backlog{}) {
			t.Errorf("backlog after acking everything = %+v, %v; want zero", b, err)
		}
	})
}

func firstSeq(t *testing.T, log *redisbus.Log, keys redisbus.Keys) uint64 {
	t.Helper()
	msgs, err := redisbus.ClientForTest(log).XRangeN(t.Context(), keys.Log, "-", "+", 1).Result()
	if err != nil || len(msgs) == 0 {
		t.Fatalf("read first entry: %v (%d entries)", err, len(msgs))
	}
	var seq uint64
	fmt.Sscanf(msgs[0].ID, "%d-0", &seq)
	return seq
}
