package history_test

import (
	"context"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/gridcc/gridcc/backend/apperr"
	"github.com/gridcc/gridcc/backend/event"
	"github.com/gridcc/gridcc/backend/history"
	"github.com/gridcc/gridcc/backend/history/historytest"
	"github.com/gridcc/gridcc/backend/redisbus"
	"github.com/gridcc/gridcc/backend/testsvc"
)

var monday = time.Date(2025, 6, 2, 9, 0, 0, 0, shanghai)

// mixedCases is a varied week: kinds, categories, streets, open and late
// cases, ratings, and disputes that keep coming back to one address.
func mixedCases() []historytest.Case {
	var out []historytest.Case
	out = append(out, historytest.Many(30, "h", event.Hotline, "dispute", monday, 3*time.Hour, 5)...)
	out = append(out, historytest.Many(12, "g", event.GridEvent, "environment", monday.Add(time.Hour), 80*time.Hour, 3)...)
	out = append(out, historytest.Many(8, "c", event.CameraAlert, "crowd", monday.AddDate(0, 0, 2), 20*time.Minute, 0)...)
	out = append(out, historytest.Many(6, "o", event.Hotline, "housing", monday.AddDate(0, 0, 3), time.Hour, 0)...)
	for i := range out[len(out)-6:] {
		out[len(out)-6+i].Steps = nil // still open
		out[len(out)-6+i].Street = "s-2"
	}
	out = append(out, historytest.Many(10, "p", event.Hotline, "dispute", monday.AddDate(0, 0, -7), time.Hour, 4)...)
	out = append(out, historytest.Many(10, "y", event.Hotline, "dispute", monday.AddDate(-1, 0, 1), time.Hour, 4)...)
	return out
}

func TestWriter(t *testing.T) {
	t.Run("OK_endToEnd", func(t *testing.T) {
		p := mustPipeline(t, testsvc.ClickHouseDatabase(t))
		opts := fastOptions
		opts.KeepRecent = 10
		w := p.writer(t, "replica-1", opts)
		cases := mixedCases()
		total := p.appendCases(t, cases)
		run(t, w)
		conn := mustConn(t, p.url)
		waitFor(t, "every record in ClickHouse", func() bool {
			return drained(t, w)() && countNow(t, conn, "SELECT count() FROM change_log") == uint64(total)
		})
		if n := count(t, conn, "SELECT count() FROM events"); n != uint64(len(cases)) {
			t.Errorf("events = %d, want %d", n, len(cases))
		}
		if n := count(t, conn, "SELECT uniqExact(seq) FROM change_log"); n != uint64(total) {
			t.Errorf("distinct seqs = %d, want %d", n, total)
		}
		ctx := testsvc.Context(t)
		pend, err := p.rdb.XPending(ctx, p.log.Keys().Log, "history").Result()
		if err != nil || pend.Count != 0 {
			t.Errorf("pending after the writer caught up: %+v, %v", pend, err)
		}
		waitFor(t, "the log trimmed to KeepRecent", func() bool {
			n, err := p.rdb.XLen(ctx, p.log.Keys().Log).Result()
			return err == nil && n == opts.KeepRecent
		})
		if l := w.Lag(); l.Records != 0 || l.Error != "" || l.LastWrite.IsZero() {
			t.Errorf("lag = %+v, want caught up with a last write", l)
		}
		if details, err := w.Check(ctx); err != nil || details["lag_records"] != int64(0) {
			t.Errorf("check = %v, %v", details, err)
		}
	})

	t.Run("OK_redeliveryChangesNoFigure", func(t *testing.T) {
		p := mustPipeline(t, testsvc.ClickHouseDatabase(t))
		w := p.writer(t, "replica-1", fastOptions)
		total := p.appendCases(t, mixedCases())
		run(t, w)
		conn := mustConn(t, p.url)
		waitFor(t, "every record in ClickHouse", func() bool {
			return drained(t, w)() && countNow(t, conn, "SELECT count() FROM change_log") == uint64(total)
		})
		stats := history.NewStats(p.store, shanghai)
		history.SetClockForTest(stats, func() time.Time { return monday.AddDate(0, 0, 7) })
		before := statsSnapshot(t, stats)

		// Deliver every record again through the group, as after a lost ack.
		ctx := testsvc.Context(t)
		if err := p.rdb.XGroupSetID(ctx, p.log.Keys().Log, "history", "0").Err(); err != nil {
			t.Fatal(err)
		}
		waitFor(t, "the re-delivery to be written", drained(t, w))
		// And write whole batches again straight through the store.
		recs, err := p.log.Range(ctx, 0, uint64(total))
		if err != nil {
			t.Fatal(err)
		}
		rows := history.Rows{Zone: shanghai, SLAs: history.DefaultSLAs}
		for start := 0; start < len(recs); start += 40 {
			if n, err := p.store.Write(ctx, rows.Batch(recs[start:min(start+40, len(recs))])); err != nil || n != 0 {
				t.Fatalf("write again: %d new rows, %v", n, err)
			}
		}
		if n := count(t, conn, "SELECT count() FROM change_log"); n != uint64(total) {
			t.Errorf("changes = %d after re-delivery, want %d", n, total)
		}
		if after := statsSnapshot(t, stats); after != before {
			t.Errorf("stats changed after re-delivery:\nbefore %s\nafter  %s", before, after)
		}
	})

	t.Run("OK_takesOverACrashedWritersRecords", func(t *testing.T) {
		p := mustPipeline(t, testsvc.ClickHouseDatabase(t))
		total := p.appendCases(t, historytest.Many(20, "k", event.Hotline, "dispute", monday, time.Hour, 5))
		ctx := testsvc.Context(t)
		crashed := redisbus.NewConsumer(p.rdb, p.log.Keys(), "history", "crashed")
		if recs, err := crashed.Read(ctx, 1000, 0); err != nil || len(recs) != total {
			t.Fatalf("the crashed writer read %d records, %v", len(recs), err)
		}
		// The write timeout must hold an insert that feeds every materialized
		// view under -race on a busy machine (500 ms did not, and every
		// retry timed out again); the claim delay follows from it.
		opts := fastOptions
		opts.WriteTimeout, opts.RetryMax, opts.ClaimIdle = 3*time.Second, 500*time.Millisecond, 14*time.Second
		w := p.writer(t, "survivor", opts)
		run(t, w)
		conn := mustConn(t, p.url)
		waitFor(t, "the survivor to write the crashed writer's records", func() bool {
			return drained(t, w)() && countNow(t, conn, "SELECT count() FROM change_log") == uint64(total)
		})
		if left, err := crashed.Pending(ctx, 0, 1000); err != nil || len(left) != 0 {
			t.Errorf("the crashed writer still holds %d records (%v)", len(left), err)
		}
	})

	t.Run("OK_lanesWriteEachRecordOnce", func(t *testing.T) {
		p := mustPipeline(t, testsvc.ClickHouseDatabase(t))
		var srcs []history.Source
		for _, name := range []string{"replica-1", "replica-1/2", "replica-1/3"} {
			srcs = append(srcs, redisbus.NewConsumer(p.rdb, p.log.Keys(), "history", name))
		}
		w, err := history.NewWriter(srcs, p.store, history.Rows{Zone: shanghai, SLAs: history.DefaultSLAs}, fastOptions, prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		total := p.appendCases(t, mixedCases())
		run(t, w)
		conn := mustConn(t, p.url)
		waitFor(t, "every record in ClickHouse", func() bool {
			return drained(t, w)() && countNow(t, conn, "SELECT count() FROM change_log") == uint64(total)
		})
		if n := count(t, conn, "SELECT uniqExact(seq) FROM change_log"); n != uint64(total) {
			t.Errorf("distinct seqs = %d, want %d", n, total)
		}
		consumers, err := p.rdb.XInfoConsumers(testsvc.Context(t), p.log.Keys().Log, "history").Result()
		if err != nil || len(consumers) != 3 {
			t.Errorf("the group has %d consumers (%v), want one per lane", len(consumers), err)
		}
	})

	t.Run("OK_aSteadyTrickleTakesFewReads", func(t *testing.T) {
		p := mustPipeline(t, testsvc.ClickHouseDatabase(t))
		src := &countingSource{Source: redisbus.NewConsumer(p.rdb, p.log.Keys(), "history", "replica-1")}
		opts := fastOptions
		opts.BatchSize, opts.FlushInterval = 10000, time.Second
		w, err := history.NewWriter([]history.Source{src}, p.store, history.Rows{Zone: shanghai, SLAs: history.DefaultSLAs}, opts, prometheus.NewRegistry())
		if err != nil {
			t.Fatal(err)
		}
		run(t, w)
		// One report every 5 ms, as a busy district's stream at 200/s: a
		// read that blocks for the next record would make one per record.
		cases := historytest.Many(60, "t", event.Hotline, "dispute", monday, time.Hour, 0)
		total := 0
		for i := range cases {
			cases[i].Steps = nil
			total += p.appendCases(t, cases[i:i+1])
			time.Sleep(5 * time.Millisecond)
		}
		conn := mustConn(t, p.url)
		waitFor(t, "every record in ClickHouse", func() bool {
			return drained(t, w)() && countNow(t, conn, "SELECT count() FROM change_log") == uint64(total)
		})
		// The batch's first read, then one per tenth of FlushInterval until
		// it is written; a second batch if the trickle outlasted the first.
		if n := src.reads.Load(); n > 2*(10+1) {
			t.Errorf("%d reads for %d records sent over %v", n, total, 60*5*time.Millisecond)
		}
	})

	t.Run("ErrBacklogCapRefusesIngest", func(t *testing.T) {
		down := "clickhouse://127.0.0.1:" + strconv.Itoa(testsvc.FreePort(t)) + "/gridcc" // nobody listens
		p := mustPipeline(t, down)
		opts := fastOptions
		opts.BacklogCap = 5
		w := p.writer(t, "replica-1", opts)
		run(t, w)
		ctx := testsvc.Context(t)
		if err := w.Admit(ctx); err != nil {
			t.Fatalf("admit with an empty backlog: %v", err)
		}
		cases := historytest.Many(5, "b", event.Hotline, "dispute", monday, time.Hour, 0)
		for i := range cases {
			cases[i].Steps = nil
		}
		p.appendCases(t, cases)
		var err error
		waitFor(t, "admit to refuse", func() bool { err = w.Admit(ctx); return err != nil })
		if !apperr.Is(err, apperr.Unavailable) || !strings.Contains(err.Error(), "backlog") {
			t.Errorf("admit = %v, want an Unavailable error naming the backlog", err)
		}
		if n, _ := w.Backlog(ctx); n < 5 {
			t.Errorf("backlog = %d, want at least 5", n)
		}
		if _, err := w.Check(ctx); err == nil {
			t.Error("check passes while ClickHouse is unreachable")
		}
	})
}

// countingSource counts the reads of the source it wraps.
type countingSource struct {
	history.Source
	reads atomic.Int64
}

func (c *countingSource) Read(ctx context.Context, max int, wait time.Duration) ([]event.Record, error) {
	c.reads.Add(1)
	return c.Source.Read(ctx, max, wait)
}
